using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Specs;
using Harness.Experiments.Runner;
using TorchSharp;

namespace Harness.Experiments.Kinds;

/// <summary>
/// `compare`: g against every named baseline on the held-out tasks, at each horizon, with each baseline's learning
/// rate tuned on training tasks for that horizon. Every optimizer starts from the same initial f per (task, init).
/// Reports summaries across tasks, paired tests of g against each baseline (Holm-corrected), speedup-to-target,
/// learning-rate and init-seed stability, per-task CSV and mean curves with 95% bands.
/// </summary>
public sealed class CompareKind : ExperimentKind<CompareSettings, CompareOutput>
{
    public const string LearnedName = "g";

    public override string Name => "compare";
    public override string Description => "g against tuned baselines on held-out tasks, with paired statistics";

    protected override IEnumerable<string> CheckInputs(CompareSettings settings, IReadOnlyList<InputInfo> inputs)
    {
        if (inputs.Count != 3 || inputs[0].Kind != "meta-train" || inputs[1].Kind != "split" || inputs[2].Kind != "split")
        {
            yield return "compare takes three inputs: [the meta-train experiment (g), the split with the training tasks " +
                         "(to tune baselines' rates), the split with the test tasks]";
            yield break;
        }
        var train = (SplitSettings)inputs[1].Settings!;
        if (settings.TuningTasks > train.Subsets)
            yield return $"tuning_tasks ({settings.TuningTasks}) exceeds the {train.Subsets} tasks of '{inputs[1].Id}'";
    }

    protected override CompareOutput Run(RunContext context, CompareSettings s, IReadOnlyList<object> inputs)
    {
        var trained = ((MetaTrainOutput)inputs[0]).Best;
        var g = new LearnedOptimizer(trained.Network.to(context.Device), trained.Architecture);
        var trainTasks = ((SplitOutput)inputs[1]).Tasks;
        var testTasks = ((SplitOutput)inputs[2]).Tasks;
        var f = new FunctionalMlp(g.Architecture);
        var horizons = s.ResolvedHorizons;
        int tMax = horizons.Max();
        var grid = s.ResolvedLearningRates;

        // 1. Tune each baseline's rate on training tasks: one batched run over tasks × rates, read at every horizon.
        var tuning = new List<TuningPoint>();
        var chosen = new Dictionary<(string, int), (double Rate, bool Edge)>();
        var tuningTasks = trainTasks.Take(s.TuningTasks).ToList();
        foreach (var baseline in s.ResolvedBaselines)
        {
            var problems = new List<(int Task, int Init)>();
            var rates = new List<double>();
            for (int t = 0; t < tuningTasks.Count; t++)
                foreach (var rate in grid) { problems.Add((t, 0)); rates.Add(rate); }
            using var batch = TaskBatch.Create(tuningTasks, problems, g.Architecture, context.ChildSeed("tune-init"), context.Device);
            using var bar = context.Progress.Start($"tune {baseline} ({grid.Length} rates × {tuningTasks.Count} tasks)", tMax);
            var trace = InnerLoop.Run(BaselineOptimizers.Create(baseline, rates), batch, f, tMax, horizons, bar, context.Cancellation);
            foreach (var horizon in horizons)
            {
                var points = grid.Select((rate, j) =>
                {
                    var members = Enumerable.Range(0, problems.Count).Where(p => p % grid.Length == j).ToList();
                    int diverged = members.Count(p => DivergedBy(trace, p, horizon));
                    double loss = diverged > 0 ? double.PositiveInfinity : members.Average(p => (double)trace.TrainLoss[p][horizon]);
                    double accuracy = members.Average(p => DivergedBy(trace, p, horizon) ? 0.5
                        : ClassificationMetrics.Accuracy(trace.TestLogits[horizon][p], tuningTasks[problems[p].Task].TestLabels));
                    return new TuningPoint(baseline, horizon, rate, loss, accuracy, diverged);
                }).ToList();
                tuning.AddRange(points);
                int best = points.Select((p, j) => (p.MeanTrainLoss, j)).Min().j;
                chosen[(baseline, horizon)] = (grid[best], best == 0 || best == grid.Length - 1);
            }
        }

        // 2. Evaluate g and the tuned baselines on the test tasks, from the same initial f's.
        var testProblems = testTasks.SelectMany((_, t) => Enumerable.Range(0, s.InitsPerTask).Select(i => (Task: t, Init: i))).ToList();
        var initSeed = context.ChildSeed("f-init");
        var traces = new Dictionary<(string, int), (TrainingTrace Trace, int Horizon)>();
        TrainingTrace Evaluate(IFlatOptimizerFactory optimizer, int steps, string label)
        {
            using var batch = TaskBatch.Create(testTasks, testProblems, g.Architecture, initSeed, context.Device);
            using var bar = context.Progress.Start($"test {label}", steps);
            return InnerLoop.Run(optimizer, batch, f, steps, CompareFigures.EvaluationSteps(horizons, steps), bar, context.Cancellation);
        }
        var gTrace = Evaluate(new LearnedOptimizerFactory(LearnedName, g), tMax, LearnedName);
        foreach (var h in horizons) traces[(LearnedName, h)] = (gTrace, h);
        foreach (var baseline in s.ResolvedBaselines)
        {
            foreach (var group in horizons.GroupBy(h => chosen[(baseline, h)].Rate))
            {
                int steps = group.Max();
                var trace = Evaluate(BaselineOptimizers.Create(baseline, [group.Key]), steps, $"{baseline} (lr {group.Key:G3})");
                foreach (var h in group) traces[(baseline, h)] = (trace, h);
            }
        }

        // 3. Summaries, paired statistics, stability.
        var summaries = new List<OptimizerAtHorizon>();
        var perTask = new List<CompareRow>();
        var metricNames = MetricSuite.MetricsOf(s.MetricSuite);
        var optimizers = new[] { LearnedName }.Concat(s.ResolvedBaselines).ToList();
        var finalLoss = new Dictionary<(string, int), double[]>();
        var accuracy = new Dictionary<(string, int), double[]>();
        var initStability = new List<InitStability>();
        foreach (var horizon in horizons)
        {
            foreach (var name in optimizers)
            {
                var (trace, _) = traces[(name, horizon)];
                var reports = testProblems.Select((p, i) => DivergedBy(trace, i, horizon) ? null
                    : MetricSuite.Evaluate(trace.TestLogits[horizon][i], testTasks[p.Task].TestLabels)).ToList();
                var losses = testProblems.Select((_, i) => DivergedBy(trace, i, horizon) ? double.PositiveInfinity : trace.TrainLoss[i][horizon]).ToArray();
                finalLoss[(name, horizon)] = losses;
                accuracy[(name, horizon)] = reports.Select(r => r?.Accuracy ?? double.NaN).ToArray();
                var alive = reports.Where(r => r is not null).Select(r => r!).ToList();
                var metrics = metricNames.ToDictionary(m => m, m => Statistics.Summarize(alive.Select(r => Metric(r, m)).ToList(),
                    context.ChildSeed("bootstrap", name, horizon, m), s.BootstrapSamples));
                double? rate = name == LearnedName ? null : chosen[(name, horizon)].Rate;
                var shares = Enumerable.Range(0, testProblems.Count).Select(i => trace.FallbackShare(i, horizon)).OfType<double>().ToList();
                summaries.Add(new OptimizerAtHorizon(name, horizon, rate, name != LearnedName && chosen[(name, horizon)].Edge,
                    reports.Count(r => r is null),
                    Statistics.Summarize(losses.Where(double.IsFinite).ToList(), context.ChildSeed("bootstrap", name, horizon, "train"), s.BootstrapSamples),
                    metrics,
                    shares.Count > 0 ? shares.Average() : null,
                    shares.Count > 0 ? shares.Max() : null));
                for (int i = 0; i < testProblems.Count; i++)
                    perTask.Add(new CompareRow(name, horizon, rate, testTasks[testProblems[i].Task].Index, testProblems[i].Init,
                        losses[i], reports[i]));
                if (s.InitsPerTask > 1)
                {
                    var spread = testProblems.Select((p, i) => (p.Task, Accuracy: accuracy[(name, horizon)][i]))
                        .Where(x => !double.IsNaN(x.Accuracy)).GroupBy(x => x.Task)
                        .Where(grp => grp.Count() > 1)
                        .Select(grp => Statistics.Summarize(grp.Select(x => x.Accuracy).ToList(), 0, 100).Std).ToList();
                    initStability.Add(new InitStability(name, horizon, spread.Count > 0 ? spread.Average() : double.NaN));
                }
            }
        }

        var comparisons = new List<PairedComparison>();
        foreach (var horizon in horizons)
        {
            var gLoss = finalLoss[(LearnedName, horizon)];
            // Speedup-to-target uses medians: a single task whose loss spikes would otherwise set the target.
            var gMedianCurve = MedianCurve(gTrace, horizon);
            foreach (var baseline in s.ResolvedBaselines)
            {
                var bLoss = finalLoss[(baseline, horizon)];
                int wins = 0, losses = 0;
                var differences = new List<double>();
                var ratios = new List<double>();
                var gPaired = new List<double>();
                var bPaired = new List<double>();
                for (int i = 0; i < gLoss.Length; i++)
                {
                    if (gLoss[i] < bLoss[i]) wins++;
                    else if (gLoss[i] > bLoss[i]) losses++;
                    if (double.IsFinite(gLoss[i]) && double.IsFinite(bLoss[i]))
                    {
                        differences.Add(gLoss[i] - bLoss[i]);
                        ratios.Add(gLoss[i] / Math.Max(bLoss[i], 1e-12));
                        gPaired.Add(gLoss[i]);
                        bPaired.Add(bLoss[i]);
                    }
                }
                var (low, high) = differences.Count > 0
                    ? Statistics.PairedBootstrapCi(gPaired, bPaired, context.ChildSeed("paired", baseline, horizon), s.BootstrapSamples)
                    : (double.NaN, double.NaN);
                var gAcc = accuracy[(LearnedName, horizon)];
                var bAcc = accuracy[(baseline, horizon)];
                var accDiffs = gAcc.Zip(bAcc, (a, b) => a - b).Where(double.IsFinite).ToList();
                int accLower = accDiffs.Count(d => d < 0), accHigher = accDiffs.Count(d => d > 0);
                var (accLow, accHigh) = accDiffs.Count > 0
                    ? Statistics.BootstrapMeanCi(accDiffs, context.ChildSeed("paired-accuracy", baseline, horizon), s.BootstrapSamples)
                    : (double.NaN, double.NaN);
                var (bTrace, _) = traces[(baseline, horizon)];
                double target = gMedianCurve[horizon];
                var bCurve = MedianCurve(bTrace, horizon);
                int reached = Array.FindIndex(bCurve, v => v <= target);
                comparisons.Add(new PairedComparison(baseline, horizon, gLoss.Length, (double)wins / gLoss.Length,
                    Statistics.SignTest(wins, losses).PValue, Statistics.Wilcoxon(differences).PValue, double.NaN,
                    ratios.Count > 0 ? Statistics.Median(ratios) : double.NaN, low, high,
                    accDiffs.Count > 0 ? accDiffs.Average() : double.NaN,
                    reached < 0 ? null : (double)reached / horizon, accLow, accHigh,
                    accLower, accHigher, Statistics.SignTest(accHigher, accLower).PValue));
            }
        }
        var holm = Statistics.Holm(comparisons.Select(c => c.WilcoxonP).ToList());
        comparisons = comparisons.Select((c, i) => c with { HolmP = holm[i] }).ToList();

        var curves = new List<CurvePoint>();
        var accuracyCurves = new List<AccuracyPoint>();
        // g's one trace serves every horizon: its curve is drawn up to each horizon, beside the baselines tuned for it.
        foreach (var ((name, horizon), (trace, _)) in traces)
        {
            accuracyCurves.AddRange(CompareFigures.AccuracyCurve(name, horizon, trace, testTasks, testProblems));
            var alive = Enumerable.Range(0, trace.Problems).Where(p => !DivergedBy(trace, p, horizon)).ToList();
            for (int step = 0; step <= horizon; step++)
            {
                var values = alive.Select(p => (double)trace.TrainLoss[p][step]).ToList();
                double mean = values.Count > 0 ? values.Average() : double.NaN;
                double se = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) / values.Count) : 0;
                curves.Add(new CurvePoint(name, horizon, step, mean, mean - 1.96 * se, mean + 1.96 * se));
            }
        }
        foreach (var group in curves.GroupBy(c => $"T{c.Horizon}/{c.Optimizer}"))
            context.Tracking.LogMetrics(group.Where(c => double.IsFinite(c.Mean)).Select(c => ($"{group.Key}/mean_train_loss", c.Mean, (long)c.Step)));
        foreach (var o in summaries.Where(o => o.FallbackShare is not null))
            context.Tracking.LogMetrics([($"T{o.Horizon}/{o.Optimizer}/fallback_share", o.FallbackShare!.Value, (long)o.Horizon)]);
        foreach (var o in summaries)
            context.Tracking.LogMetrics(o.TestMetrics.Select(m => ($"T{o.Horizon}/{o.Optimizer}/test_{m.Key}", m.Value.Mean, (long)o.Horizon))
                .Where(m => double.IsFinite(m.Item2)));

        // Decision regions on the first test task: g and Adam (or the first baseline) after the longest horizon.
        var reference = s.ResolvedBaselines.Contains("adam") ? "adam" : s.ResolvedBaselines.FirstOrDefault();
        var regions = new[] { LearnedName, reference }.OfType<string>()
            .Select(name => CompareFigures.DecisionRegions(name, f, traces[(name, tMax)].Trace.FinalTheta[0], testTasks[testProblems[0].Task]))
            .ToList();

        var result = new CompareResult(testProblems.Count, tuningTasks.Count, summaries, comparisons, tuning, initStability);
        return new CompareOutput(result, perTask, curves, accuracyCurves, regions, testTasks[testProblems[0].Task].Index);
    }

    protected override CompareOutput Load(string directory, CompareSettings settings)
    {
        return new CompareOutput(ExperimentRunner.ReadResult<CompareResult>(directory), [], [], [], [], 0);
    }

    private static bool DivergedBy(TrainingTrace trace, int problem, int step) =>
        trace.Diverged[problem] && trace.DivergedAtStep[problem] <= step;

    /// <summary>Median training loss across problems at each step (a diverged problem counts as +∞).</summary>
    private static double[] MedianCurve(TrainingTrace trace, int horizon) =>
        Enumerable.Range(0, horizon + 1).Select(step => Statistics.Median(Enumerable.Range(0, trace.Problems)
            .Select(p => DivergedBy(trace, p, step) ? double.PositiveInfinity : trace.TrainLoss[p][step]).ToList())).ToArray();

    private static double Metric(ClassificationReport r, string name) => name switch
    {
        "accuracy" => r.Accuracy,
        "loss" => r.Loss,
        "precision" => r.Precision,
        "recall" => r.Recall,
        "f1" => r.F1,
        "roc_auc" => r.RocAuc,
        "pr_auc" => r.PrAuc,
        _ => throw new ArgumentException(name),
    };
}

public sealed record CompareRow(string Optimizer, int Horizon, double? LearningRate, int Task, int Init, double FinalTrainLoss, ClassificationReport? Test);
public sealed record CurvePoint(string Optimizer, int Horizon, int Step, double Mean, double Low, double High);
