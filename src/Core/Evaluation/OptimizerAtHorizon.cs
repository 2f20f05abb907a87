using Harness.Core.Data;

namespace Harness.Core.Evaluation;

/// <summary>
/// One optimizer at one horizon on the test tasks: its rate, summaries across tasks and divergences; for g with a
/// guard, the share of its steps (mean over problems, and the largest of one problem) that were Adam's fallback step;
/// the f forward and backward passes the optimizer itself asked for per step (its run's totals over its length; a
/// plain first-order step costs 1 and 1, a guarded one more forward passes), and what it spent per problem up to
/// where it was read: steps, forward and backward passes, and seconds (its share of the batched run's own time).
/// </summary>
public sealed record OptimizerAtHorizon(
    string Optimizer,
    int Horizon,
    double? LearningRate,
    bool RateAtGridEdge,
    int Diverged,
    Summary FinalTrainLoss,
    IReadOnlyDictionary<string, Summary> TestMetrics,
    double? FallbackShare,
    double? MaxFallbackShare,
    double? ForwardPassesPerStep = null,
    double? BackwardPassesPerStep = null,
    double? Steps = null,
    double? ForwardPasses = null,
    double? BackwardPasses = null,
    [property: System.Text.Json.Serialization.JsonIgnore] double? Seconds = null);

/// <summary>One optimizer's outcome on every test problem at one horizon: final training loss (+∞ where diverged) and test metrics.</summary>
public sealed record HorizonOutcome(string Optimizer, int Horizon, double[] FinalTrainLoss, ClassificationReport?[] Test,
    Budget View = Budget.Steps)
{
    /// <summary>Test loss per problem (+∞ where diverged: it loses every paired comparison).</summary>
    public double[] TestLoss => Test.Select(r => r?.Loss ?? double.PositiveInfinity).ToArray();

    /// <summary>Test accuracy per problem (NaN where diverged).</summary>
    public double[] Accuracy => Test.Select(r => r?.Accuracy ?? double.NaN).ToArray();

    /// <summary>Reads a trace at a horizon: a problem diverged by then has no metrics and a loss of +∞.</summary>
    public static HorizonOutcome Read(string optimizer, int horizon, TrainingTrace trace, IReadOnlyList<SplitTask> tasks,
        IReadOnlyList<(int Task, int Init)> problems, Budget? view = null) =>
        new(optimizer, horizon,
            problems.Select((_, i) => trace.DivergedAt(i, horizon, view) ? double.PositiveInfinity : trace.LossAt(i, horizon, view)).ToArray(),
            problems.Select((p, i) => trace.DivergedAt(i, horizon, view) ? null
                : MetricSuite.Evaluate(trace.LogitsAt(i, horizon, view), tasks[p.Task].TestLabels)).ToArray(),
            view ?? trace.DefaultView);

    /// <summary>
    /// The summary across problems (mean, std, seeded bootstrap CI of the loss and of each metric, over the problems
    /// that did not diverge). seedOf gives the bootstrap seed for "train" and for each metric's name.
    /// </summary>
    public OptimizerAtHorizon Summarize(TunedRate? rate, IReadOnlyList<string> metrics, Func<string, ulong> seedOf, int resamples,
        TrainingTrace trace)
    {
        var alive = Test.OfType<ClassificationReport>().ToList();
        var summaries = metrics.ToDictionary(m => m, m => Statistics.Summarize(alive.Select(r => r.Value(m)).ToList(), seedOf(m), resamples));
        var shares = Enumerable.Range(0, Test.Length).Select(i => trace.FallbackShare(i, Horizon, View)).OfType<double>().ToList();
        var read = Enumerable.Range(0, Test.Length).Select(i => trace.ReadStep(i, Horizon, View)).ToArray();
        var spent = Enumerable.Range(0, Test.Length).Select(i => trace.SpentBy(i, read[i])).ToArray();
        bool counted = trace.ForwardSpent is not null && read.Any(r => r > 0);
        double PerStep(Func<EvaluationCount, long> of) =>
            Enumerable.Range(0, read.Length).Where(i => read[i] > 0).Average(i => (double)of(spent[i]) / read[i]);
        return new OptimizerAtHorizon(Optimizer, Horizon, rate?.Rate, rate?.AtGridEdge ?? false, Test.Count(r => r is null),
            Statistics.Summarize(FinalTrainLoss.Where(double.IsFinite).ToList(), seedOf("train"), resamples),
            summaries,
            shares.Count > 0 ? shares.Average() : null,
            shares.Count > 0 ? shares.Max() : null,
            counted ? PerStep(e => e.Forward) : null,
            counted ? PerStep(e => e.Backward) : null,
            read.Average(),
            counted ? spent.Average(e => e.Forward) : null,
            counted ? spent.Average(e => e.Backward) : null,
            trace.SecondsSpent is null ? null : spent.Average(e => e.Seconds));
    }

    /// <summary>Spread of test accuracy across initialisations of the same task: the mean over tasks of the std across inits.</summary>
    public double MeanStdAcrossInits(IReadOnlyList<(int Task, int Init)> problems)
    {
        var accuracy = Accuracy;
        var spread = problems.Select((p, i) => (p.Task, Accuracy: accuracy[i]))
            .Where(x => !double.IsNaN(x.Accuracy)).GroupBy(x => x.Task)
            .Where(grp => grp.Count() > 1)
            .Select(grp => Statistics.Summarize(grp.Select(x => x.Accuracy).ToList(), 0, 100).Std).ToList();
        return spread.Count > 0 ? spread.Average() : double.NaN;
    }
}

/// <summary>Spread of test accuracy across initialisations of the same task (mean over tasks of the std across inits).</summary>
public sealed record InitStability(string Optimizer, int Horizon, double MeanStdAcrossInits);
