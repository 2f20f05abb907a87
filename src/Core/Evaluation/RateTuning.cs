using Harness.Core.Data;
using Harness.Core.Optimizers;

namespace Harness.Core.Evaluation;

/// <summary>
/// One point of a tuning surface at one horizon: a hyperparameter setting's mean final training loss and test accuracy
/// over the tuning runs (tasks × inits), and how many of them diverged (the stability view; tuning.csv keeps them all).
/// </summary>
public sealed record TuningPoint(string Optimizer, int Horizon, double LearningRate, double MeanTrainLoss, double MeanTestAccuracy,
    int Diverged, double? Beta1 = null, double? Beta2 = null, int Runs = 0);

/// <summary>
/// The setting tuning chose for one horizon, and whether its rate lies at the edge of the rates searched (the grid may be
/// too narrow); β₁, β₂ where they were tuned too.
/// </summary>
public sealed record TunedRate(double Rate, bool AtGridEdge, double? Beta1 = null, double? Beta2 = null)
{
    public BaselineConfig Config => new(Rate, Beta1 ?? 0.9, Beta2 ?? 0.999);
}

/// <summary>One tuning run read at one horizon: its training loss, whether it had diverged, and its test accuracy.</summary>
public sealed record TuningReading(double Loss, bool Diverged, double Accuracy)
{
    /// <summary>Every problem of a trace read at a horizon (a diverged run reads as chance accuracy, 0.5).</summary>
    public static IEnumerable<TuningReading> Of(TrainingTrace trace, int horizon, IReadOnlyList<SplitTask> tasks,
        IReadOnlyList<(int Task, int Init)> problems) =>
        problems.Select((p, i) => trace.DivergedAt(i, horizon)
            ? new TuningReading(double.PositiveInfinity, true, 0.5)
            : new TuningReading(trace.LossAt(i, horizon), false, ClassificationMetrics.Accuracy(trace.LogitsAt(i, horizon), tasks[p.Task].TestLabels)));
}

/// <summary>
/// Hyperparameter tuning on training tasks: every (task, init, setting) is one problem, read at every horizon. The
/// chosen setting has the lowest mean final training loss over the tasks and inits; a setting under which any run
/// diverged scores +∞.
/// </summary>
public static class RateTuning
{
    /// <summary>The problems of a tuning run: task-major, then init, then every setting of the grid.</summary>
    public static (List<(int Task, int Init)> Problems, List<BaselineConfig> Configs) Layout(int tasks, int inits, IReadOnlyList<BaselineConfig> grid)
    {
        var problems = new List<(int, int)>();
        var configs = new List<BaselineConfig>();
        for (int t = 0; t < tasks; t++)
            for (int i = 0; i < inits; i++)
                foreach (var config in grid) { problems.Add((t, i)); configs.Add(config); }
        return (problems, configs);
    }

    /// <summary>The rates-only layout of one init per task (a rate grid).</summary>
    public static (List<(int Task, int Init)> Problems, List<double> Rates) Layout(int tasks, IReadOnlyList<double> grid)
    {
        var (problems, configs) = Layout(tasks, 1, BaselineConfig.Rates(grid));
        return (problems, configs.Select(c => c.Rate).ToList());
    }

    /// <summary>Every setting's score at one horizon of a run laid out by <see cref="Layout(int, int, IReadOnlyList{BaselineConfig})"/>, and the setting chosen.</summary>
    public static (IReadOnlyList<TuningPoint> Points, TunedRate Chosen) Choose(string optimizer, int horizon,
        IReadOnlyList<TuningReading> readings, IReadOnlyList<BaselineConfig> grid, bool betasTuned = false)
    {
        var points = grid.Select((config, j) =>
        {
            var members = Enumerable.Range(0, readings.Count).Where(p => p % grid.Count == j).Select(p => readings[p]).ToList();
            int diverged = members.Count(r => r.Diverged);
            double loss = diverged > 0 ? double.PositiveInfinity : members.Average(r => r.Loss);
            return new TuningPoint(optimizer, horizon, config.Rate, loss, members.Average(r => r.Accuracy), diverged,
                betasTuned ? config.Beta1 : null, betasTuned ? config.Beta2 : null, members.Count);
        }).ToList();
        int best = points.Select((p, j) => (p.MeanTrainLoss, j)).Min().j;
        double low = grid.Min(c => c.Rate), high = grid.Max(c => c.Rate), rate = grid[best].Rate;
        bool edge = grid.Select(c => c.Rate).Distinct().Count() > 1 && (rate == low || rate == high);
        return (points, new TunedRate(rate, edge, betasTuned ? grid[best].Beta1 : null, betasTuned ? grid[best].Beta2 : null));
    }

    /// <summary>A rates-only run (one init per task) read at a horizon: the rate grid's scores and the rate chosen.</summary>
    public static (IReadOnlyList<TuningPoint> Points, TunedRate Chosen) AtHorizon(string optimizer, int horizon, TrainingTrace trace,
        IReadOnlyList<double> grid, IReadOnlyList<SplitTask> tasks, IReadOnlyList<(int Task, int Init)> problems) =>
        Choose(optimizer, horizon, TuningReading.Of(trace, horizon, tasks, problems).ToList(), BaselineConfig.Rates(grid));
}
