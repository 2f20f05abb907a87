using Harness.Core.Configuration;
using Harness.Core.Evaluation;
using Harness.Core.Models;

namespace Harness.Experiments.Kinds;

/// <summary>
/// Settings of `meta-test`: how long to train each test task's f with g, where to measure, and Adam's reference rate;
/// `f` is the f trained (default: meta-training's), batch_size, guard_on and curve_every the training regime.
/// </summary>
public sealed record MetaTestSettings(
    int Horizon = 100,
    int[]? EvaluationSteps = null,
    int InitsPerTask = 1,
    double AdamLearningRate = 0.01,
    MlpSettings? F = null,
    int? BatchSize = null,
    GuardOn GuardOn = GuardOn.Minibatch,
    int CurveEvery = 1) : IValidatableSettings
{
    [System.Text.Json.Serialization.JsonIgnore] public TrainingRegime Regime => new(BatchSize, GuardOn, CurveEvery);

    [System.Text.Json.Serialization.JsonIgnore] public int[] ResolvedEvaluationSteps =>
        (EvaluationSteps ?? [0, 10, 50, 100, 200, 500, 1000]).Where(s => s <= Horizon).Append(Horizon).Distinct().Order().ToArray();

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Horizon < 1 || Horizon > CompareSettings.MaxHorizon) yield return ("horizon", $"must lie in 1..{CompareSettings.MaxHorizon:N0} (got {Horizon:N0})");
        if (EvaluationSteps is { } steps && steps.Any(s => s < 0)) yield return ("evaluation_steps", "steps must be ≥ 0");
        if (EvaluationSteps is { } given && given.Where(s => s > Horizon).ToList() is { Count: > 0 } beyond)
            yield return ("evaluation_steps", $"step{(beyond.Count == 1 ? "" : "s")} {string.Join(", ", beyond)} lie{(beyond.Count == 1 ? "s" : "")} beyond the horizon ({Horizon}): " +
                                              "list steps up to the horizon, or raise it");
        if (InitsPerTask < 1) yield return ("inits_per_task", "must be ≥ 1");
        if (!(AdamLearningRate > 0)) yield return ("adam_learning_rate", "must be > 0");
        foreach (var problem in Regime.Validate()) yield return problem;
        foreach (var (key, message) in F?.Validate() ?? []) yield return ($"f.{key}", message);
    }
}
