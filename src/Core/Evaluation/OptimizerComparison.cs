using Harness.Core.Data;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using TorchSharp;

namespace Harness.Core.Evaluation;

/// <summary>
/// What a comparison runs: horizons (in the budget's unit), baselines and their rate grid, the controls of g, tuning
/// tasks × inits, test inits, metrics, bootstrap size, the training regime, the budget, how far tuned Adam runs past
/// each horizon for the speedup, the step cap of a seconds budget and how many problems one tuning batch holds.
/// </summary>
public sealed record ComparisonDesign(
    int[] Horizons,
    string[] Baselines,
    double[] LearningRates,
    int TuningTasks,
    int InitsPerTask,
    IReadOnlyList<string> Metrics,
    int BootstrapSamples,
    TrainingRegime? Regime = null,
    Budget Budget = Budget.Steps,
    int TuningInits = 1,
    IReadOnlyList<string>? Controls = null,
    double SpeedupFactor = 2,
    int MaxSteps = 10_000,
    int TuningBatch = 64)
{
    public TrainingRegime ResolvedRegime => Regime ?? TrainingRegime.FullBatch;

    /// <summary>The readings reported: the budget's, and under an evaluation budget the step-matched one as well.</summary>
    public IReadOnlyList<Budget> Views => Budget == Budget.Evaluations ? [Budget.Evaluations, Budget.Steps] : [Budget];

    /// <summary>The steps a run for a horizon lasts: the horizon (a step costs at least one evaluation), or the cap under a seconds budget.</summary>
    public int StepsFor(int horizon) => Budget == Budget.Seconds ? MaxSteps : horizon;
}

/// <summary>
/// The controls of a guarded g a comparison can add: g without its guard, g's guard around Adam at g's rate (the two by
/// default), and g with its guard checked one step late (<see cref="Learned.LearnedVariant.DeferredGuard"/>).
/// </summary>
public static class LearnedControls
{
    public const string WithoutGuard = "g-no-guard", AdamWithGuard = "adam-with-g-guard", DeferredGuard = "g-deferred-guard";
    public static readonly IReadOnlyList<string> Names = [WithoutGuard, AdamWithGuard, DeferredGuard];
    public static readonly IReadOnlyList<string> Defaults = [WithoutGuard, AdamWithGuard];
}

/// <summary>One test problem's outcome for one optimizer at one horizon in one reading (a row of per-task.csv), with what it spent.</summary>
public sealed record CompareRow(string Optimizer, int Horizon, double? LearningRate, int Task, int Init, double FinalTrainLoss, ClassificationReport? Test,
    Budget Budget = Budget.Steps, int Steps = 0, long ForwardPasses = 0, long BackwardPasses = 0);

/// <summary>One reading's tables: every optimizer's summary and g's paired comparisons with each other optimizer.</summary>
public sealed record ComparisonView(Budget Budget, IReadOnlyList<OptimizerAtHorizon> Optimizers, IReadOnlyList<PairedComparison> Comparisons);

/// <summary>
/// A comparison's result record: the headline reading's summaries and paired comparisons (Optimizers, Comparisons,
/// in the unit of Budget), the step-matched reading beside it under an evaluation budget, g's speedup over tuned Adam,
/// the whole tuning surface and init stability.
/// </summary>
public sealed record CompareResult(
    int Problems,
    int TuningTasks,
    IReadOnlyList<OptimizerAtHorizon> Optimizers,
    IReadOnlyList<PairedComparison> Comparisons,
    IReadOnlyList<TuningPoint> Tuning,
    IReadOnlyList<InitStability> InitStability,
    Budget Budget = Budget.Steps,
    int TuningInits = 1,
    ComparisonView? StepMatched = null,
    IReadOnlyList<SpeedupSummary>? Speedups = null);

/// <summary>Everything a comparison measured: the result record, per-problem rows, curves, speedups, and each optimizer's trace per horizon.</summary>
public sealed record ComparisonOutcome(
    CompareResult Result,
    IReadOnlyList<CompareRow> Rows,
    IReadOnlyList<CurvePoint> Curves,
    IReadOnlyList<AccuracyPoint> AccuracyCurves,
    IReadOnlyDictionary<(string Optimizer, int Horizon), TrainingTrace> Traces,
    IReadOnlyList<(int Task, int Init)> Problems,
    IReadOnlyList<TaskSpeedup>? TaskSpeedups = null,
    IReadOnlyList<SpeedupCurvePoint>? SpeedupCurve = null);

/// <summary>
/// g against tuned baselines on test tasks: each baseline's hyperparameters are tuned per horizon on training tasks
/// (never the test tasks), then g, its controls and every tuned baseline train the same initial f's on every (test
/// task, init), and the outcomes are summarised and compared pairwise, in the budget's reading (and step-matched).
/// g's speedup over tuned Adam reads Adam's run continued to SpeedupFactor × the horizon. Seeds come from
/// seedOf(purpose, index…).
/// </summary>
public static class OptimizerComparison
{
    public const string LearnedName = "g";
    public const string SpeedupReference = "adam";

    public static ComparisonOutcome Run(ComparisonDesign design, IFlatOptimizerFactory g, MlpArchitecture architecture,
        IReadOnlyList<SplitTask> trainTasks, IReadOnlyList<SplitTask> testTasks, Func<string, object[], ulong> seedOf,
        torch.Device device, IProgressReporter progress, CancellationToken cancellation)
    {
        var f = new FunctionalMlp(architecture);
        var regime = design.ResolvedRegime;
        if (g is Learned.LearnedOptimizerFactory learned) g = learned.ForBatchSize(regime.BatchSize);
        var minibatchSeed = seedOf("minibatch", []);
        var horizons = design.Horizons;
        var tuningTasks = trainTasks.Take(design.TuningTasks).ToList();

        // A run of some problems with one optimizer for `steps`, read at the given horizons in the budget's unit; it
        // stops once every problem has spent its budget where no step-matched reading is wanted of it.
        TrainingTrace Train(IFlatOptimizerFactory optimizer, IReadOnlyList<SplitTask> tasks, List<(int Task, int Init)> problems,
            ulong initSeed, int steps, IReadOnlyList<int> readAt, string label, IReadOnlyCollection<int> evaluationSteps, bool costOnly = false)
        {
            using var batch = TaskBatch.Create(tasks, problems, architecture, initSeed, device);
            using var bar = progress.Start(label, steps);
            return InnerLoop.Run(optimizer, batch, f, steps, evaluationSteps, bar, cancellation, regime, minibatchSeed,
                design.Budget, design.Budget == Budget.Steps ? null : readAt,
                stopWhenSpent: design.Budget == Budget.Seconds || (costOnly && design.Budget != Budget.Steps));
        }
        bool CostOnly(string name) => design.Budget != Budget.Steps && BaselineOptimizers.SearchesLines(name);

        // 1. Tune each baseline on training tasks (tasks × inits × settings, in batches), read at every horizon.
        var tuning = new List<TuningPoint>();
        var chosen = new Dictionary<(string, int), TunedRate?>();
        var order = design.Baselines.OrderBy(b => b == "adam-betas" ? 1 : 0).ToList(); // adam-betas searches around Adam's rate
        foreach (var baseline in order)
        {
            if (BaselineOptimizers.IsUntuned(baseline))
            {
                foreach (var h in horizons) chosen[(baseline, h)] = null;
                continue;
            }
            bool betas = baseline == "adam-betas";
            var windows = horizons.ToDictionary(h => h, h => betas ? BetaWindow(design.LearningRates, chosen[("adam", h)]!.Rate) : BaselineConfig.Rates(design.LearningRates));
            var runs = BaselineOptimizers.IsScheduled(baseline)
                ? horizons.Select(h => (Horizons: new[] { h }, Grid: windows[h])).ToList()
                : [(Horizons: horizons, Grid: windows.Values.SelectMany(w => w).Distinct().ToList())];
            foreach (var (runHorizons, grid) in runs)
            {
                var (problems, configs) = RateTuning.Layout(tuningTasks.Count, design.TuningInits, grid);
                int steps = design.StepsFor(runHorizons.Max());
                var readings = runHorizons.ToDictionary(h => h, _ => new List<TuningReading>());
                for (int start = 0; start < problems.Count; start += design.TuningBatch)
                {
                    int count = Math.Min(design.TuningBatch, problems.Count - start);
                    var chunk = problems.GetRange(start, count);
                    var optimizer = BaselineOptimizers.Create(baseline, configs.GetRange(start, count), runHorizons.Max());
                    var trace = Train(optimizer, tuningTasks, chunk, seedOf("tune-init", []), steps, runHorizons,
                        $"tune {baseline} ({grid.Count} settings × {tuningTasks.Count} tasks × {design.TuningInits} inits, {start / design.TuningBatch + 1}/{(problems.Count + design.TuningBatch - 1) / design.TuningBatch})",
                        runHorizons.Where(h => h <= steps).ToArray(), CostOnly(baseline));
                    foreach (var h in runHorizons) readings[h].AddRange(TuningReading.Of(trace, h, tuningTasks, chunk));
                }
                foreach (var h in runHorizons)
                {
                    // Each horizon chooses among its own window (the union ran once); every setting's score is kept.
                    var window = windows[h];
                    var indices = Enumerable.Range(0, problems.Count).Where(p => window.Contains(configs[p])).ToList();
                    var (points, rate) = RateTuning.Choose(baseline, h, indices.Select(p => readings[h][p]).ToList(), window, betas);
                    tuning.AddRange(points);
                    chosen[(baseline, h)] = rate;
                }
            }
        }

        // 2. g, its controls and the tuned baselines on the test tasks, from the same initial f's.
        var testProblems = testTasks.SelectMany((_, t) => Enumerable.Range(0, design.InitsPerTask).Select(i => (Task: t, Init: i))).ToList();
        var initSeed = seedOf("f-init", []);
        var traces = new Dictionary<(string, int), TrainingTrace>();
        TrainingTrace Evaluate(IFlatOptimizerFactory optimizer, int steps, IReadOnlyList<int> readAt, string label, bool costOnly = false) =>
            Train(optimizer, testTasks, testProblems, initSeed, steps, readAt, $"test {label}", EvaluationSteps(readAt.Where(h => h <= steps).ToList(), steps),
                costOnly);
        int tMax = horizons.Max();
        var gTrace = Evaluate(g, design.StepsFor(tMax), horizons, LearnedName);
        foreach (var h in horizons) traces[(LearnedName, h)] = gTrace;
        var controls = design.Controls ?? [];
        foreach (var control in controls)
        {
            var trace = Evaluate(ControlOf(g, control), design.StepsFor(tMax), horizons, control);
            foreach (var h in horizons) traces[(control, h)] = trace;
        }
        foreach (var baseline in design.Baselines)
        {
            var groups = BaselineOptimizers.IsScheduled(baseline)
                ? horizons.Select(h => (Config: chosen[(baseline, h)], Horizons: new[] { h })).ToList()
                : horizons.GroupBy(h => chosen[(baseline, h)]?.Config).Select(grp => (Config: chosen[(baseline, grp.First())], Horizons: grp.ToArray())).ToList();
            foreach (var (config, group) in groups)
            {
                // Adam, the speedup's reference, runs on past its horizons: how long does it need to reach g's loss?
                bool reference = baseline == SpeedupReference;
                int length = group.Max();
                var readAt = reference ? group.Append((int)Math.Ceiling(design.SpeedupFactor * length)).Distinct().ToArray() : group;
                int steps = design.StepsFor(readAt.Max());
                var optimizer = BaselineOptimizers.Create(baseline, [config?.Config ?? new BaselineConfig(1)], length);
                var trace = Evaluate(optimizer, steps, readAt, config is null ? baseline : $"{baseline} (lr {config.Rate:G3})", CostOnly(baseline));
                foreach (var h in group) traces[(baseline, h)] = trace;
            }
        }

        // 3. Summaries, rows and paired comparisons per reading; init stability and curves from the headline reading.
        var optimizers = new[] { LearnedName }.Concat(controls).Concat(design.Baselines).ToList();
        var rows = new List<CompareRow>();
        var initStability = new List<InitStability>();
        var views = new List<ComparisonView>();
        TunedRate? RateOf(string name, int h) => chosen.GetValueOrDefault((name, h)); // g and its controls are not tuned
        foreach (var view in design.Views)
        {
            var outcomes = new Dictionary<(string, int), HorizonOutcome>();
            var summaries = new List<OptimizerAtHorizon>();
            var inView = optimizers.Where(name => view != Budget.Steps || !CostOnly(name)).ToList();
            foreach (var horizon in horizons)
                foreach (var name in inView)
                {
                    var trace = traces[(name, horizon)];
                    var outcome = outcomes[(name, horizon)] = HorizonOutcome.Read(name, horizon, trace, testTasks, testProblems, view);
                    var rate = RateOf(name, horizon);
                    var purpose = view == design.Budget ? "bootstrap" : $"bootstrap-{view}";
                    summaries.Add(outcome.Summarize(rate, design.Metrics, m => seedOf(purpose, [name, horizon, m]), design.BootstrapSamples, trace));
                    rows.AddRange(testProblems.Select((p, i) =>
                    {
                        int step = trace.ReadStep(i, horizon, view);
                        var spent = trace.SpentBy(i, step);
                        return new CompareRow(name, horizon, rate?.Rate, testTasks[p.Task].Index, p.Init, outcome.FinalTrainLoss[i], outcome.Test[i],
                            view, step, spent.Forward, spent.Backward);
                    }));
                    if (design.InitsPerTask > 1 && view == design.Budget)
                        initStability.Add(new InitStability(name, horizon, outcome.MeanStdAcrossInits(testProblems)));
                }
            var pairs = horizons.SelectMany(horizon =>
            {
                double target = Statistics.Median(outcomes[(LearnedName, horizon)].FinalTrainLoss);
                return inView.Skip(1).Select(b => new PairedOutcomes(outcomes[(LearnedName, horizon)], outcomes[(b, horizon)],
                    view == Budget.Steps ? TrainingCurves.FractionToReach(TrainingCurves.MedianTrainLoss(traces[(b, horizon)], horizon), target, horizon) : null));
            }).ToList();
            var prefix = view == design.Budget ? "" : $"{view}-";
            var comparisons = PairedComparisons.All(pairs, (purpose, b, h) => seedOf(prefix + purpose, [b, h]), design.BootstrapSamples);
            views.Add(new ComparisonView(view, summaries, comparisons));
        }

        // 4. g's speedup over tuned Adam, per problem, in the headline reading, and its curve along g's run.
        List<TaskSpeedup>? taskSpeedups = null;
        List<SpeedupSummary>? speedups = null;
        List<SpeedupCurvePoint>? speedupCurve = null;
        if (design.Baselines.Contains(SpeedupReference))
        {
            taskSpeedups = [];
            speedups = [];
            speedupCurve = [];
            var taskIds = testTasks.Select(t => t.Index).ToList();
            foreach (var h in horizons)
            {
                var perTask = Speedups.AtHorizon(h, gTrace, traces[(SpeedupReference, h)], testProblems, taskIds, design.Budget);
                taskSpeedups.AddRange(perTask);
                speedups.Add(Speedups.Summarize(h, "steps", perTask, s => s.Steps, seedOf("speedup", [h, "steps"]), design.BootstrapSamples));
                speedups.Add(Speedups.Summarize(h, "evaluations", perTask, s => s.Evaluations, seedOf("speedup", [h, "evaluations"]), design.BootstrapSamples));
                if (design.Budget != Budget.Seconds)
                    speedupCurve.AddRange(Speedups.Curve(h, gTrace, traces[(SpeedupReference, h)], regime.CurveSteps(h)));
            }
        }

        // g's one trace serves every horizon: its curve is drawn up to each horizon, beside the baselines tuned for it.
        var curves = traces.Where(t => !CostOnly(t.Key.Item1)).SelectMany(t => TrainingCurves.MeanTrainLoss(t.Key.Item1, t.Key.Item2, t.Value,
            regime.CurveSteps(Math.Min(t.Key.Item2, t.Value.Steps)))).ToList();
        var accuracyCurves = traces.Where(t => !CostOnly(t.Key.Item1)).SelectMany(t => TrainingCurves.TestAccuracy(t.Key.Item1, t.Key.Item2, t.Value, testTasks, testProblems)).ToList();
        var headline = views[0];
        var result = new CompareResult(testProblems.Count, tuningTasks.Count, headline.Optimizers, headline.Comparisons, tuning, initStability,
            design.Budget, design.TuningInits, views.Count > 1 ? views[1] : null, speedups);
        return new ComparisonOutcome(result, rows, curves, accuracyCurves, traces, testProblems, taskSpeedups, speedupCurve);
    }

    /// <summary>
    /// The settings `adam-betas` searches at one horizon: the β grid at Adam's chosen rate and its neighbours on the
    /// rate grid (a coordinate search: the joint grid of every rate × every β costs six times Adam's tuning).
    /// </summary>
    public static IReadOnlyList<BaselineConfig> BetaWindow(IReadOnlyList<double> rates, double adamRate)
    {
        var sorted = rates.Order().ToList();
        int at = sorted.IndexOf(adamRate);
        var window = sorted.Skip(Math.Max(0, at - 1)).Take(at == 0 ? 2 : 3);
        return window.SelectMany(r => BaselineOptimizers.BetaGrid.Select(b => new BaselineConfig(r, b.Beta1, b.Beta2))).ToList();
    }

    private static IFlatOptimizerFactory ControlOf(IFlatOptimizerFactory g, string control) => g is Learned.LearnedOptimizerFactory learned
        ? learned with
        {
            Name = control,
            Variant = control switch
            {
                LearnedControls.WithoutGuard => Learned.LearnedVariant.WithoutGuard,
                LearnedControls.DeferredGuard => Learned.LearnedVariant.DeferredGuard,
                _ => Learned.LearnedVariant.AdamWithGuard,
            },
        }
        : throw new ArgumentException($"the control {control} needs a learned g", nameof(g));

    /// <summary>Steps at which test metrics are taken: the horizons and 20 evenly spaced steps up to the longest.</summary>
    public static int[] EvaluationSteps(IReadOnlyList<int> horizons, int steps) =>
        Enumerable.Range(0, 21).Select(i => (int)Math.Round(steps * i / 20.0)).Concat(horizons).Where(s => s <= steps)
            .Distinct().Order().ToArray();
}
