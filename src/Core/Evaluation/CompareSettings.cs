using Harness.Core.Configuration;
using Harness.Core.Models;
using Harness.Core.Optimizers;

namespace Harness.Core.Evaluation;

/// <summary>
/// Settings of `compare`: g against tuned baselines on held-out tasks. Each baseline's learning rate is chosen on the
/// first `tuning_tasks` training tasks, separately for every horizon, never on the test tasks. `f` is the f trained
/// (default: meta-training's); batch_size, guard_on and curve_every the training regime (<see cref="TrainingRegime"/>).
/// </summary>
public sealed record CompareSettings(
    int[]? Horizons = null,
    string[]? Baselines = null,
    double[]? LearningRates = null,
    int TuningTasks = 5,
    int InitsPerTask = 1,
    string MetricSuite = "classification",
    int BootstrapSamples = 2000,
    MlpSettings? F = null,
    int? BatchSize = null,
    GuardOn GuardOn = GuardOn.Minibatch,
    int CurveEvery = 1) : IValidatableSettings
{
    [System.Text.Json.Serialization.JsonIgnore] public TrainingRegime Regime => new(BatchSize, GuardOn, CurveEvery);

    [System.Text.Json.Serialization.JsonIgnore] public int[] ResolvedHorizons => (Horizons ?? [100, 500]).Distinct().Order().ToArray();
    [System.Text.Json.Serialization.JsonIgnore] public string[] ResolvedBaselines => Baselines ?? BaselineOptimizers.Names.ToArray();
    [System.Text.Json.Serialization.JsonIgnore] public double[] ResolvedLearningRates => LearningRates ?? BaselineOptimizers.DefaultGrid();

    /// <summary>What <see cref="OptimizerComparison"/> runs, with every default resolved.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ComparisonDesign Design => new(ResolvedHorizons, ResolvedBaselines, ResolvedLearningRates, TuningTasks, InitsPerTask,
        Harness.Core.Evaluation.MetricSuite.MetricsOf(MetricSuite), BootstrapSamples, Regime);

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (ResolvedHorizons.Length == 0 || ResolvedHorizons.Any(h => h < 1)) yield return ("horizons", "give one or more horizons ≥ 1");
        foreach (var b in ResolvedBaselines.Where(b => !BaselineOptimizers.Names.Contains(b)))
            yield return ("baselines", $"unknown baseline '{b}'; allowed: {string.Join(", ", BaselineOptimizers.Names)}");
        if (ResolvedLearningRates.Length == 0 || ResolvedLearningRates.Any(r => !(r > 0)))
            yield return ("learning_rates", "give one or more rates > 0");
        if (TuningTasks < 1) yield return ("tuning_tasks", "must be ≥ 1");
        if (InitsPerTask < 1) yield return ("inits_per_task", "must be ≥ 1");
        if (!Harness.Core.Evaluation.MetricSuite.Names.Contains(MetricSuite))
            yield return ("metric_suite", $"unknown suite '{MetricSuite}'; allowed: {string.Join(", ", Harness.Core.Evaluation.MetricSuite.Names)}");
        if (BootstrapSamples < 100) yield return ("bootstrap_samples", "must be ≥ 100");
        foreach (var problem in Regime.Validate()) yield return problem;
        foreach (var (key, message) in F?.Validate() ?? []) yield return ($"f.{key}", message);
    }
}
