using Harness.Core.Configuration;
using Harness.Core.Models;
using Harness.Core.Optimizers;

namespace Harness.Core.Evaluation;

/// <summary>
/// Settings of `compare`: g against tuned baselines on held-out tasks. Each baseline's hyperparameters are chosen on
/// the first `tuning_tasks` training tasks × `tuning_inits` inits, separately for every horizon, never on the test
/// tasks. `budget` says what a horizon counts (<see cref="Budget"/>); `controls` adds g without its guard and g's guard
/// around Adam (the default), and g's guard checked a step late (g-deferred-guard, full batch only); `speedup_factor`
/// is how far tuned Adam runs past each horizon to measure g's speedup; `max_steps` caps a seconds budget's runs; `tuning_batch` bounds the problems one tuning run holds (memory). `f` is the f trained
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
    int CurveEvery = 1,
    Budget Budget = Budget.Evaluations,
    int TuningInits = 2,
    string[]? Controls = null,
    double SpeedupFactor = 2,
    int MaxSteps = 10_000,
    int TuningBatch = 64) : IValidatableSettings
{
    /// <summary>The largest horizon and step cap accepted: a trace keeps every step's loss of every problem in memory.</summary>
    public const int MaxHorizon = 1_000_000;

    [System.Text.Json.Serialization.JsonIgnore] public TrainingRegime Regime => new(BatchSize, GuardOn, CurveEvery);

    [System.Text.Json.Serialization.JsonIgnore] public int[] ResolvedHorizons => (Horizons ?? [100, 500]).Distinct().Order().ToArray();
    [System.Text.Json.Serialization.JsonIgnore] public string[] ResolvedBaselines => Baselines ?? BaselineOptimizers.Names.ToArray();
    [System.Text.Json.Serialization.JsonIgnore] public double[] ResolvedLearningRates => LearningRates ?? BaselineOptimizers.DefaultGrid();
    [System.Text.Json.Serialization.JsonIgnore] public string[] ResolvedControls => Controls ?? LearnedControls.Defaults.ToArray();

    /// <summary>What <see cref="OptimizerComparison"/> runs, with every default resolved.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ComparisonDesign Design => new(ResolvedHorizons, ResolvedBaselines, ResolvedLearningRates, TuningTasks, InitsPerTask,
        Harness.Core.Evaluation.MetricSuite.MetricsOf(MetricSuite), BootstrapSamples, Regime, Budget, TuningInits, ResolvedControls,
        SpeedupFactor, MaxSteps, TuningBatch);

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (ResolvedHorizons.Length == 0 || ResolvedHorizons.Any(h => h < 1)) yield return ("horizons", "give one or more horizons ≥ 1");
        if (Baselines is { Length: 0 }) yield return ("baselines", "give one or more baselines (leave the key out for all of them)");
        foreach (var b in ResolvedBaselines.GroupBy(b => b).Where(g => g.Count() > 1))
            yield return ("baselines", $"'{b.Key}' is listed {b.Count()} times; list each baseline once");
        foreach (var c in ResolvedControls.GroupBy(c => c).Where(g => g.Count() > 1))
            yield return ("controls", $"'{c.Key}' is listed {c.Count()} times; list each control once");
        foreach (var b in ResolvedBaselines.Where(b => !BaselineOptimizers.Names.Contains(b)))
            yield return ("baselines", $"unknown baseline '{b}'; allowed: {string.Join(", ", BaselineOptimizers.Names)}");
        if (ResolvedLearningRates.Length == 0 || ResolvedLearningRates.Any(r => !(r > 0)))
            yield return ("learning_rates", "give one or more rates > 0");
        if (ResolvedHorizons.Any(h => h > MaxHorizon)) yield return ("horizons", $"a horizon is at most {MaxHorizon:N0}");
        if (ResolvedBaselines.Contains("adam-betas") && !ResolvedBaselines.Contains("adam"))
            yield return ("baselines", "adam-betas searches β around Adam's tuned rate: list adam among the baselines too");
        if (Budget == Budget.Seconds)
            foreach (var b in ResolvedBaselines.Where(BaselineOptimizers.IsScheduled))
                yield return ("baselines", $"{b} follows a schedule over a run's steps, which a seconds budget does not fix: use budget: evaluations or steps");
        foreach (var c in ResolvedControls.Where(c => !LearnedControls.Names.Contains(c)))
            yield return ("controls", $"unknown control '{c}'; allowed: {string.Join(", ", LearnedControls.Names)}");
        if (BatchSize is not null && ResolvedControls.Contains(LearnedControls.DeferredGuard))
            yield return ("controls", $"{LearnedControls.DeferredGuard} compares each step's loss with the step before's, which with batch_size " +
                                      "are losses on different minibatches; leave it out, or leave batch_size out (full batch)");
        if (!(SpeedupFactor >= 1) || SpeedupFactor > 100) yield return ("speedup_factor", $"must be between 1 and 100 (got {SpeedupFactor})");
        if (MaxSteps < 1 || MaxSteps > MaxHorizon) yield return ("max_steps", $"must be between 1 and {MaxHorizon:N0} (got {MaxSteps})");
        if (TuningBatch < 1) yield return ("tuning_batch", $"must be ≥ 1 (got {TuningBatch})");
        if (TuningInits < 1) yield return ("tuning_inits", "must be ≥ 1");
        if (TuningTasks < 1) yield return ("tuning_tasks", "must be ≥ 1");
        if (InitsPerTask < 1) yield return ("inits_per_task", "must be ≥ 1");
        if (!Harness.Core.Evaluation.MetricSuite.Names.Contains(MetricSuite))
            yield return ("metric_suite", $"unknown suite '{MetricSuite}'; allowed: {string.Join(", ", Harness.Core.Evaluation.MetricSuite.Names)}");
        if (BootstrapSamples < 100) yield return ("bootstrap_samples", "must be ≥ 100");
        foreach (var problem in Regime.Validate()) yield return problem;
        foreach (var (key, message) in F?.Validate() ?? []) yield return ($"f.{key}", message);
    }
}
