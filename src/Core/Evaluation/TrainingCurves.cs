using Harness.Core.Data;

namespace Harness.Core.Evaluation;

/// <summary>Mean training loss of one optimizer at one step of a horizon, with its 95% band, over the problems not yet diverged.</summary>
public sealed record CurvePoint(string Optimizer, int Horizon, int Step, double Mean, double Low, double High);

/// <summary>Mean test accuracy of one optimizer at one evaluated step, with its 95% band, over the problems not yet diverged.</summary>
public sealed record AccuracyPoint(string Optimizer, int Horizon, int Step, double Mean, double Low, double High);

/// <summary>The curves of a trace up to a horizon: mean loss and accuracy with bands, and the median loss.</summary>
public static class TrainingCurves
{
    /// <summary>
    /// Mean training loss over the problems that had not diverged by the horizon, at the given steps (default: every
    /// step 0…horizon; a sparse curve keeps every k-th, see <see cref="TrainingRegime.CurveSteps"/>).
    /// </summary>
    public static IEnumerable<CurvePoint> MeanTrainLoss(string optimizer, int horizon, TrainingTrace trace, IEnumerable<int>? steps = null)
    {
        var alive = Enumerable.Range(0, trace.Problems).Where(p => !trace.DivergedBy(p, horizon)).ToList();
        foreach (var step in steps ?? Enumerable.Range(0, horizon + 1))
        {
            var band = MeanBand.Of(alive.Select(p => (double)trace.TrainLoss[p][step]).ToList());
            yield return new CurvePoint(optimizer, horizon, step, band.Mean, band.Low, band.High);
        }
    }

    /// <summary>Mean test accuracy at each evaluated step up to the horizon, over the problems not diverged by that step.</summary>
    public static IEnumerable<AccuracyPoint> TestAccuracy(string optimizer, int horizon, TrainingTrace trace,
        IReadOnlyList<SplitTask> tasks, IReadOnlyList<(int Task, int Init)> problems)
    {
        foreach (var step in trace.TestLogits.Keys.Where(s => s <= horizon).Order())
        {
            var values = Enumerable.Range(0, trace.Problems)
                .Where(p => !trace.DivergedBy(p, step))
                .Select(p => ClassificationMetrics.Accuracy(trace.TestLogits[step][p], tasks[problems[p].Task].TestLabels))
                .ToList();
            if (values.Count == 0) continue;
            var band = MeanBand.Of(values);
            yield return new AccuracyPoint(optimizer, horizon, step, band.Mean, band.Low, band.High);
        }
    }

    /// <summary>Median training loss across problems at each step 0…horizon (a diverged problem counts as +∞).</summary>
    public static double[] MedianTrainLoss(TrainingTrace trace, int horizon) =>
        Enumerable.Range(0, horizon + 1).Select(step => Statistics.Median(Enumerable.Range(0, trace.Problems)
            .Select(p => trace.DivergedBy(p, step) ? double.PositiveInfinity : trace.TrainLoss[p][step]).ToList())).ToArray();

    /// <summary>
    /// The first step at which the median curve reaches the target, as a fraction of the horizon; null when it never
    /// does. Medians, because one task whose loss spikes would otherwise set the target.
    /// </summary>
    public static double? FractionToReach(double[] medianCurve, double target, int horizon)
    {
        int reached = Array.FindIndex(medianCurve, v => v <= target);
        return reached < 0 ? null : (double)reached / horizon;
    }
}
