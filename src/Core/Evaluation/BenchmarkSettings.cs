using Harness.Core.Configuration;
using Harness.Core.Models;

namespace Harness.Core.Evaluation;

/// <summary>
/// One task set of a `benchmark`: the split to tune baselines on (train) and the split to test on, both inputs of the
/// experiment; the f trained (default: meta-training's, its input width from the tasks) and the batch regime.
/// </summary>
public sealed record TaskSetSettings(string Id, string Train, string Test, MlpSettings? F = null, int? BatchSize = null,
    GuardOn GuardOn = GuardOn.Minibatch) : IValidatableSettings
{
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Id)) yield return ("id", "give each task set an id");
        if (BatchSize is < 1) yield return ("batch_size", $"must be ≥ 1 (got {BatchSize}); leave it out for full-batch training");
        foreach (var (key, message) in F?.Validate() ?? []) yield return ($"f.{key}", message);
    }
}

/// <summary>
/// Settings of `benchmark`: g and tuned baselines over several task sets (the generalisation matrix). The comparison
/// keys mean what they mean in `compare` and hold for every task set; `reference` is the tuned baseline each cell
/// of the matrix pairs g with.
/// </summary>
public sealed record BenchmarkSettings(
    TaskSetSettings[] TaskSets,
    int[]? Horizons = null,
    string[]? Baselines = null,
    double[]? LearningRates = null,
    int TuningTasks = 5,
    int InitsPerTask = 1,
    string MetricSuite = "classification",
    int BootstrapSamples = 2000,
    string Reference = "adam",
    int CurveEvery = 1,
    Budget Budget = Budget.Evaluations,
    int TuningInits = 2,
    string[]? Controls = null,
    double SpeedupFactor = 2,
    int TuningBatch = 64) : IValidatableSettings
{
    /// <summary>The shared comparison settings (every task set's regime then replaces its batch keys).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CompareSettings Comparison => new(Horizons, Baselines, LearningRates, TuningTasks, InitsPerTask, MetricSuite, BootstrapSamples,
        CurveEvery: CurveEvery, Budget: Budget, TuningInits: TuningInits, Controls: Controls, SpeedupFactor: SpeedupFactor,
        TuningBatch: TuningBatch);

    public TrainingRegime RegimeOf(TaskSetSettings set) => new(set.BatchSize, set.GuardOn, CurveEvery);

    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in Comparison.Validate()) yield return problem;
        if (TaskSets.Length == 0) yield return ("task_sets", "list at least one task set: { id, train, test }");
        for (int i = 0; i < TaskSets.Length; i++)
        {
            foreach (var (key, message) in TaskSets[i].Validate()) yield return ($"task_sets[{i}].{key}", message);
            int first = Array.FindIndex(TaskSets, t => t.Id == TaskSets[i].Id);
            if (first < i) yield return ($"task_sets[{i}].id", $"task set id '{TaskSets[i].Id}' is used twice (first at task_sets[{first}])");
            if (TaskSets[i].BatchSize is not null && Comparison.ResolvedControls.Contains(LearnedControls.DeferredGuard))
                yield return ($"task_sets[{i}].batch_size", $"{LearnedControls.DeferredGuard} judges each step by the next step's loss, which with " +
                                                           "batch_size is on other rows; leave the control out, or this set's batch_size");
        }
        if (!Comparison.ResolvedBaselines.Contains(Reference))
            yield return ("reference", $"the reference '{Reference}' must be one of the baselines ({string.Join(", ", Comparison.ResolvedBaselines)})");
    }
}
