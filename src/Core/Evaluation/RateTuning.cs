using Harness.Core.Data;

namespace Harness.Core.Evaluation;

/// <summary>Mean final training loss and test accuracy of a baseline on the tuning tasks for each rate (the stability view).</summary>
public sealed record TuningPoint(string Optimizer, int Horizon, double LearningRate, double MeanTrainLoss, double MeanTestAccuracy, int Diverged);

/// <summary>The rate tuning chose for one horizon, and whether it lies at the grid's edge (the grid may be too narrow).</summary>
public sealed record TunedRate(double Rate, bool AtGridEdge);

/// <summary>
/// Learning-rate tuning on training tasks: every (task, rate) pair is one problem of one batched run, read at every
/// horizon. The chosen rate has the lowest mean final training loss over the tasks; a rate under which any task
/// diverged scores +∞ (a diverged task counts as chance accuracy, 0.5, in the accuracy column).
/// </summary>
public static class RateTuning
{
    /// <summary>The problems of the batched run: task-major, every rate of the grid per task, from init 0.</summary>
    public static (List<(int Task, int Init)> Problems, List<double> Rates) Layout(int tasks, IReadOnlyList<double> grid)
    {
        var problems = new List<(int, int)>();
        var rates = new List<double>();
        for (int t = 0; t < tasks; t++)
            foreach (var rate in grid) { problems.Add((t, 0)); rates.Add(rate); }
        return (problems, rates);
    }

    /// <summary>Every rate's score at one horizon of a run laid out by <see cref="Layout"/>, and the rate chosen.</summary>
    public static (IReadOnlyList<TuningPoint> Points, TunedRate Chosen) AtHorizon(string optimizer, int horizon, TrainingTrace trace,
        IReadOnlyList<double> grid, IReadOnlyList<SplitTask> tasks, IReadOnlyList<(int Task, int Init)> problems)
    {
        var points = grid.Select((rate, j) =>
        {
            var members = Enumerable.Range(0, problems.Count).Where(p => p % grid.Count == j).ToList();
            int diverged = members.Count(p => trace.DivergedBy(p, horizon));
            double loss = diverged > 0 ? double.PositiveInfinity : members.Average(p => (double)trace.TrainLoss[p][horizon]);
            double accuracy = members.Average(p => trace.DivergedBy(p, horizon) ? 0.5
                : ClassificationMetrics.Accuracy(trace.TestLogits[horizon][p], tasks[problems[p].Task].TestLabels));
            return new TuningPoint(optimizer, horizon, rate, loss, accuracy, diverged);
        }).ToList();
        int best = points.Select((p, j) => (p.MeanTrainLoss, j)).Min().j;
        return (points, new TunedRate(grid[best], best == 0 || best == grid.Count - 1));
    }
}
