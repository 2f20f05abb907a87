namespace Harness.Core.Meta;

/// <summary>
/// g on the meta-validation tasks after an epoch: the mean training loss at T and at k·T, and the mean over tasks and
/// steps 1..k·T of log(L_t / L_0), the log-ratio meta-objective over the whole validation run (+∞ if a task diverged).
/// </summary>
public readonly record struct ValidationResult(double AtHorizon, double AtLongHorizon, double MeanLogRatio)
{
    public static ValidationResult None => new(double.NaN, double.NaN, double.NaN);
}
