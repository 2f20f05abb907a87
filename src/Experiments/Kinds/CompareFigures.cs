using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Models;
using Harness.Core.Reporting;
using static TorchSharp.torch;

namespace Harness.Experiments.Kinds;

/// <summary>The data behind the comparison's pictures: test accuracy against step, and decision regions on one task.</summary>
public static class CompareFigures
{
    /// <summary>Steps at which test metrics are taken: the horizons and 20 evenly spaced steps up to the longest.</summary>
    public static int[] EvaluationSteps(IReadOnlyList<int> horizons, int steps) =>
        Enumerable.Range(0, 21).Select(i => (int)Math.Round(steps * i / 20.0)).Concat(horizons).Where(s => s <= steps)
            .Distinct().Order().ToArray();

    /// <summary>Mean test accuracy across the problems that had not diverged, with a normal 95% band, at each evaluated step.</summary>
    public static IEnumerable<AccuracyPoint> AccuracyCurve(string optimizer, int horizon, TrainingTrace trace,
        IReadOnlyList<SplitTask> tasks, IReadOnlyList<(int Task, int Init)> problems)
    {
        foreach (var step in trace.TestLogits.Keys.Where(s => s <= horizon).Order())
        {
            var values = Enumerable.Range(0, trace.Problems)
                .Where(p => !(trace.Diverged[p] && trace.DivergedAtStep[p] <= step))
                .Select(p => ClassificationMetrics.Accuracy(trace.TestLogits[step][p], tasks[problems[p].Task].TestLabels))
                .ToList();
            if (values.Count == 0) continue;
            double mean = values.Average();
            double se = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) / values.Count) : 0;
            yield return new AccuracyPoint(optimizer, horizon, step, mean, mean - 1.96 * se, mean + 1.96 * se);
        }
    }

    /// <summary>f with the final θ of one problem, evaluated on a grid around the task's points (probability of class 1).</summary>
    public static DecisionGrid DecisionRegions(string optimizer, FunctionalMlp f, float[] theta, SplitTask task, int resolution = 120)
    {
        var all = task.TrainFeatures.Concat(task.TestFeatures).ToArray();
        var xs = Enumerable.Range(0, all.Length / 2).Select(i => (double)all[2 * i]).ToArray();
        var ys = Enumerable.Range(0, all.Length / 2).Select(i => (double)all[2 * i + 1]).ToArray();
        double xPad = 0.05 * (xs.Max() - xs.Min()), yPad = 0.05 * (ys.Max() - ys.Min());
        double xMin = xs.Min() - xPad, xMax = xs.Max() + xPad, yMin = ys.Min() - yPad, yMax = ys.Max() + yPad;
        var points = new float[resolution * resolution * 2];
        for (int row = 0; row < resolution; row++)
        for (int col = 0; col < resolution; col++)
        {
            int i = row * resolution + col;
            points[2 * i] = (float)(xMin + (xMax - xMin) * (col + 0.5) / resolution);
            points[2 * i + 1] = (float)(yMax - (yMax - yMin) * (row + 0.5) / resolution); // row 0 at the top
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logits = f.Logits(tensor(theta).view(1, -1), tensor(points).view(1, -1, 2)).sigmoid().data<float>().ToArray();
        var probability = new double[resolution, resolution];
        for (int row = 0; row < resolution; row++)
        for (int col = 0; col < resolution; col++)
            probability[row, col] = logits[row * resolution + col];
        var testLogits = f.Logits(tensor(theta).view(1, -1), tensor(task.TestFeatures).view(1, -1, 2)).data<float>().ToArray();
        return new DecisionGrid(optimizer, xMin, xMax, yMin, yMax, probability, task.TestFeatures, task.TestLabels,
            ClassificationMetrics.Accuracy(testLogits, task.TestLabels));
    }
}

public sealed record AccuracyPoint(string Optimizer, int Horizon, int Step, double Mean, double Low, double High);
