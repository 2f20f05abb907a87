namespace Harness.Core.Meta;

/// <summary>
/// g on the meta-validation tasks after an epoch: the mean training loss at T and at k·T, the mean over tasks and
/// steps 1..k·T of log(L_t / L_0), the log-ratio meta-objective over the whole validation run (+∞ if a task diverged),
/// and for a guarded g the share of its steps the guard replaced over that run (null without a guard).
/// </summary>
public readonly record struct ValidationResult(double AtHorizon, double AtLongHorizon, double MeanLogRatio, double? GuardShare = null)
{
    public static ValidationResult None => new(double.NaN, double.NaN, double.NaN);
}
