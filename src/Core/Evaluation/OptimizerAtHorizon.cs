using Harness.Core.Data;

namespace Harness.Core.Evaluation;

/// <summary>
/// One optimizer at one horizon on the test tasks: its rate, summaries across tasks and divergences; for g with a
/// guard, the share of its steps (mean over problems, and the largest of one problem) that were Adam's fallback step;
/// the f forward and backward passes the optimizer itself asked for per step (its run's totals over its length; a
/// plain first-order step costs 1 and 1, a guarded one more forward passes).
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
    double? BackwardPassesPerStep = null);

/// <summary>One optimizer's outcome on every test problem at one horizon: final training loss (+∞ where diverged) and test metrics.</summary>
public sealed record HorizonOutcome(string Optimizer, int Horizon, double[] FinalTrainLoss, ClassificationReport?[] Test)
{
    /// <summary>Test accuracy per problem (NaN where diverged).</summary>
    public double[] Accuracy => Test.Select(r => r?.Accuracy ?? double.NaN).ToArray();

    /// <summary>Reads a trace at a horizon: a problem diverged by then has no metrics and a loss of +∞.</summary>
    public static HorizonOutcome Read(string optimizer, int horizon, TrainingTrace trace, IReadOnlyList<SplitTask> tasks,
        IReadOnlyList<(int Task, int Init)> problems) =>
        new(optimizer, horizon,
            problems.Select((_, i) => trace.DivergedBy(i, horizon) ? double.PositiveInfinity : trace.TrainLoss[i][horizon]).ToArray(),
            problems.Select((p, i) => trace.DivergedBy(i, horizon) ? null
                : MetricSuite.Evaluate(trace.TestLogits[horizon][i], tasks[p.Task].TestLabels)).ToArray());

    /// <summary>
    /// The summary across problems (mean, std, seeded bootstrap CI of the loss and of each metric, over the problems
    /// that did not diverge). seedOf gives the bootstrap seed for "train" and for each metric's name.
    /// </summary>
    public OptimizerAtHorizon Summarize(TunedRate? rate, IReadOnlyList<string> metrics, Func<string, ulong> seedOf, int resamples,
        TrainingTrace trace)
    {
        var alive = Test.OfType<ClassificationReport>().ToList();
        var summaries = metrics.ToDictionary(m => m, m => Statistics.Summarize(alive.Select(r => r.Value(m)).ToList(), seedOf(m), resamples));
        var shares = Enumerable.Range(0, Test.Length).Select(i => trace.FallbackShare(i, Horizon)).OfType<double>().ToList();
        return new OptimizerAtHorizon(Optimizer, Horizon, rate?.Rate, rate?.AtGridEdge ?? false, Test.Count(r => r is null),
            Statistics.Summarize(FinalTrainLoss.Where(double.IsFinite).ToList(), seedOf("train"), resamples),
            summaries,
            shares.Count > 0 ? shares.Average() : null,
            shares.Count > 0 ? shares.Max() : null,
            trace.Evaluations is { } e && trace.Steps > 0 ? (double)e.Forward / trace.Steps : null,
            trace.Evaluations is { } b && trace.Steps > 0 ? (double)b.Backward / trace.Steps : null);
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
