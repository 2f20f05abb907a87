using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Models;
using Harness.Core.Reporting;
using static TorchSharp.torch;

namespace Harness.Experiments.Kinds;

/// <summary>Decision regions of f after training, on one task: the picture beside the comparison's curves.</summary>
public static class CompareFigures
{
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
