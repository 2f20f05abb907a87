using Harness.Core.Configuration;

namespace Harness.Core.Evaluation;

/// <summary>
/// How f is trained on a task: full batch (batch_size null, the study's), or minibatches of batch_size training rows
/// drawn without replacement per epoch (<see cref="MinibatchSampler"/>), with `guard_on` naming the data extra
/// loss evaluations use. Curves keep every `curve_every`-th step (and each horizon), so long horizons stay small.
/// </summary>
public sealed record TrainingRegime(int? BatchSize = null, GuardOn GuardOn = GuardOn.Minibatch, int CurveEvery = 1) : IValidatableSettings
{
    public static readonly TrainingRegime FullBatch = new();

    public bool IsMinibatch => BatchSize is not null;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (BatchSize is < 1) yield return ("batch_size", $"must be ≥ 1 (got {BatchSize}); leave it out for full-batch training");
        if (CurveEvery < 1) yield return ("curve_every", $"must be ≥ 1 (got {CurveEvery})");
    }

    /// <summary>The steps a curve keeps up to a horizon: 0, every k-th step, and the horizon itself.</summary>
    public IEnumerable<int> CurveSteps(int horizon) =>
        Enumerable.Range(0, horizon / CurveEvery + 1).Select(i => i * CurveEvery).Append(horizon).Distinct();
}
