using Harness.Core.Data;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using TorchSharp;

namespace Harness.Core.Evaluation;

/// <summary>One task set of a benchmark: tasks to tune on and to test on, the f trained on them, and the regime.</summary>
public sealed record TaskSet(string Id, IReadOnlyList<SplitTask> Train, IReadOnlyList<SplitTask> Test, MlpArchitecture F, TrainingRegime Regime)
{
    /// <summary>What the row of the matrix is: f's shape and the batch, e.g. "[2, 128, 64, 1] relu, full batch".</summary>
    public string Describe() => $"{F}, {(Regime.BatchSize is int b ? $"batch {b}" : "full batch")}";
}

/// <summary>
/// One cell of the generalisation matrix: g against the tuned reference (Adam) on one task set at one horizon —
/// the paired win rate and median ratio on final training loss (Holm p within the task set), and both optimizers'
/// mean test accuracy and test loss, g's divergences, (for a guarded g) its fallback share, and the f forward passes
/// per step each optimizer spent, in the benchmark's headline reading (its budget: f evaluations by default).
/// </summary>
public sealed record GeneralisationCell(
    string TaskSet,
    int Horizon,
    string Reference,
    double? ReferenceRate,
    double WinRate,
    double HolmP,
    double MedianLossRatio,
    double GTestAccuracy,
    double ReferenceTestAccuracy,
    double GTestLoss,
    double ReferenceTestLoss,
    int GDiverged,
    double? GFallbackShare,
    double? GForwardPassesPerStep,
    double? ReferenceForwardPassesPerStep);

/// <summary>
/// g and the tuned baselines over several task sets: one <see cref="OptimizerComparison"/> per task set (same design,
/// the set's f and regime; seeds derived per set), summarised as the generalisation matrix against the reference.
/// </summary>
public static class GeneralisationBenchmark
{
    public static (IReadOnlyList<ComparisonOutcome> Outcomes, IReadOnlyList<GeneralisationCell> Matrix) Run(
        ComparisonDesign design, string reference, Func<MlpArchitecture, IFlatOptimizerFactory> g, IReadOnlyList<TaskSet> sets,
        Func<string, object[], ulong> seedOf, torch.Device device, IProgressReporter progress, CancellationToken cancellation)
    {
        var outcomes = new List<ComparisonOutcome>();
        var matrix = new List<GeneralisationCell>();
        foreach (var set in sets)
        {
            var setDesign = design with { Regime = set.Regime };
            var outcome = OptimizerComparison.Run(setDesign, g(set.F), set.F, set.Train, set.Test,
                (purpose, index) => seedOf(purpose, [set.Id, .. index]), device, progress, cancellation);
            outcomes.Add(outcome);
            matrix.AddRange(Cells(set.Id, outcome.Result, reference));
        }
        return (outcomes, matrix);
    }

    /// <summary>The matrix's cells of one task set's comparison, one per horizon.</summary>
    public static IEnumerable<GeneralisationCell> Cells(string taskSet, CompareResult result, string reference)
    {
        foreach (var pair in result.Comparisons.Where(c => c.Baseline == reference))
        {
            var mine = result.Optimizers.Single(o => o.Optimizer == OptimizerComparison.LearnedName && o.Horizon == pair.Horizon);
            var theirs = result.Optimizers.Single(o => o.Optimizer == reference && o.Horizon == pair.Horizon);
            yield return new GeneralisationCell(taskSet, pair.Horizon, reference, theirs.LearningRate, pair.WinRate, pair.HolmP,
                pair.MedianLossRatio, mine.TestMetrics["accuracy"].Mean, theirs.TestMetrics["accuracy"].Mean,
                mine.TestMetrics["loss"].Mean, theirs.TestMetrics["loss"].Mean, mine.Diverged, mine.FallbackShare,
                mine.ForwardPassesPerStep, theirs.ForwardPassesPerStep);
        }
    }
}
