using Harness.Core.Data;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using TorchSharp;

namespace Harness.Core.Evaluation;

/// <summary>What a comparison runs: horizons, baselines and their rate grid, tuning tasks, inits, metrics, bootstrap size.</summary>
public sealed record ComparisonDesign(
    int[] Horizons,
    string[] Baselines,
    double[] LearningRates,
    int TuningTasks,
    int InitsPerTask,
    IReadOnlyList<string> Metrics,
    int BootstrapSamples,
    TrainingRegime? Regime = null)
{
    public TrainingRegime ResolvedRegime => Regime ?? TrainingRegime.FullBatch;
}

/// <summary>One test problem's outcome for one optimizer at one horizon (a row of per-task.csv).</summary>
public sealed record CompareRow(string Optimizer, int Horizon, double? LearningRate, int Task, int Init, double FinalTrainLoss, ClassificationReport? Test);

/// <summary>A comparison's result record: summaries, paired comparisons, the tuning view and init stability.</summary>
public sealed record CompareResult(
    int Problems,
    int TuningTasks,
    IReadOnlyList<OptimizerAtHorizon> Optimizers,
    IReadOnlyList<PairedComparison> Comparisons,
    IReadOnlyList<TuningPoint> Tuning,
    IReadOnlyList<InitStability> InitStability);

/// <summary>Everything a comparison measured: the result record, per-problem rows, curves, and each optimizer's trace per horizon.</summary>
public sealed record ComparisonOutcome(
    CompareResult Result,
    IReadOnlyList<CompareRow> Rows,
    IReadOnlyList<CurvePoint> Curves,
    IReadOnlyList<AccuracyPoint> AccuracyCurves,
    IReadOnlyDictionary<(string Optimizer, int Horizon), TrainingTrace> Traces,
    IReadOnlyList<(int Task, int Init)> Problems);

/// <summary>
/// g against tuned baselines on test tasks: each baseline's rate is tuned per horizon on training tasks (never the
/// test tasks), then g and every tuned baseline train the same initial f's on every (test task, init), and the
/// outcomes are summarised and compared pairwise. Seeds come from seedOf(purpose, index…).
/// </summary>
public static class OptimizerComparison
{
    public const string LearnedName = "g";

    public static ComparisonOutcome Run(ComparisonDesign design, IFlatOptimizerFactory g, MlpArchitecture architecture,
        IReadOnlyList<SplitTask> trainTasks, IReadOnlyList<SplitTask> testTasks, Func<string, object[], ulong> seedOf,
        torch.Device device, IProgressReporter progress, CancellationToken cancellation)
    {
        var f = new FunctionalMlp(architecture);
        var regime = design.ResolvedRegime;
        var minibatchSeed = seedOf("minibatch", []);
        var horizons = design.Horizons;
        int tMax = horizons.Max();
        var grid = design.LearningRates;

        // 1. Tune each baseline's rate on training tasks: one batched run over tasks × rates, read at every horizon.
        var tuning = new List<TuningPoint>();
        var chosen = new Dictionary<(string, int), TunedRate>();
        var tuningTasks = trainTasks.Take(design.TuningTasks).ToList();
        foreach (var baseline in design.Baselines)
        {
            var (problems, rates) = RateTuning.Layout(tuningTasks.Count, grid);
            using var batch = TaskBatch.Create(tuningTasks, problems, architecture, seedOf("tune-init", []), device);
            using var bar = progress.Start($"tune {baseline} ({grid.Length} rates × {tuningTasks.Count} tasks)", tMax);
            var trace = InnerLoop.Run(BaselineOptimizers.Create(baseline, rates), batch, f, tMax, horizons, bar, cancellation, regime, minibatchSeed);
            foreach (var horizon in horizons)
            {
                var (points, rate) = RateTuning.AtHorizon(baseline, horizon, trace, grid, tuningTasks, problems);
                tuning.AddRange(points);
                chosen[(baseline, horizon)] = rate;
            }
        }

        // 2. g and the tuned baselines on the test tasks, from the same initial f's; one run per distinct rate.
        var testProblems = testTasks.SelectMany((_, t) => Enumerable.Range(0, design.InitsPerTask).Select(i => (Task: t, Init: i))).ToList();
        var initSeed = seedOf("f-init", []);
        var traces = new Dictionary<(string, int), TrainingTrace>();
        TrainingTrace Evaluate(IFlatOptimizerFactory optimizer, int steps, string label)
        {
            using var batch = TaskBatch.Create(testTasks, testProblems, architecture, initSeed, device);
            using var bar = progress.Start($"test {label}", steps);
            return InnerLoop.Run(optimizer, batch, f, steps, EvaluationSteps(horizons, steps), bar, cancellation, regime, minibatchSeed);
        }
        var gTrace = Evaluate(g, tMax, LearnedName);
        foreach (var h in horizons) traces[(LearnedName, h)] = gTrace;
        foreach (var baseline in design.Baselines)
            foreach (var group in horizons.GroupBy(h => chosen[(baseline, h)].Rate))
            {
                var trace = Evaluate(BaselineOptimizers.Create(baseline, [group.Key]), group.Max(), $"{baseline} (lr {group.Key:G3})");
                foreach (var h in group) traces[(baseline, h)] = trace;
            }

        // 3. Summaries, rows and init stability per (horizon, optimizer); paired comparisons of g with each baseline.
        var optimizers = new[] { LearnedName }.Concat(design.Baselines).ToList();
        var outcomes = new Dictionary<(string, int), HorizonOutcome>();
        var summaries = new List<OptimizerAtHorizon>();
        var rows = new List<CompareRow>();
        var initStability = new List<InitStability>();
        foreach (var horizon in horizons)
            foreach (var name in optimizers)
            {
                var outcome = outcomes[(name, horizon)] = HorizonOutcome.Read(name, horizon, traces[(name, horizon)], testTasks, testProblems);
                var rate = name == LearnedName ? null : chosen[(name, horizon)];
                summaries.Add(outcome.Summarize(rate, design.Metrics, m => seedOf("bootstrap", [name, horizon, m]),
                    design.BootstrapSamples, traces[(name, horizon)]));
                rows.AddRange(testProblems.Select((p, i) => new CompareRow(name, horizon, rate?.Rate, testTasks[p.Task].Index, p.Init,
                    outcome.FinalTrainLoss[i], outcome.Test[i])));
                if (design.InitsPerTask > 1) initStability.Add(new InitStability(name, horizon, outcome.MeanStdAcrossInits(testProblems)));
            }
        var pairs = horizons.SelectMany(horizon =>
        {
            double target = TrainingCurves.MedianTrainLoss(gTrace, horizon)[horizon];
            return design.Baselines.Select(b => new PairedOutcomes(outcomes[(LearnedName, horizon)], outcomes[(b, horizon)],
                TrainingCurves.FractionToReach(TrainingCurves.MedianTrainLoss(traces[(b, horizon)], horizon), target, horizon)));
        }).ToList();
        var comparisons = PairedComparisons.All(pairs, (purpose, b, h) => seedOf(purpose, [b, h]), design.BootstrapSamples);

        // g's one trace serves every horizon: its curve is drawn up to each horizon, beside the baselines tuned for it.
        var curves = traces.SelectMany(t => TrainingCurves.MeanTrainLoss(t.Key.Item1, t.Key.Item2, t.Value, regime.CurveSteps(t.Key.Item2))).ToList();
        var accuracyCurves = traces.SelectMany(t => TrainingCurves.TestAccuracy(t.Key.Item1, t.Key.Item2, t.Value, testTasks, testProblems)).ToList();
        var result = new CompareResult(testProblems.Count, tuningTasks.Count, summaries, comparisons, tuning, initStability);
        return new ComparisonOutcome(result, rows, curves, accuracyCurves, traces, testProblems);
    }

    /// <summary>Steps at which test metrics are taken: the horizons and 20 evenly spaced steps up to the longest.</summary>
    public static int[] EvaluationSteps(IReadOnlyList<int> horizons, int steps) =>
        Enumerable.Range(0, 21).Select(i => (int)Math.Round(steps * i / 20.0)).Concat(horizons).Where(s => s <= steps)
            .Distinct().Order().ToArray();
}
