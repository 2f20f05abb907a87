using ScottPlot;

namespace Harness.Core.Reporting;

public static partial class Plots
{
    /// <summary>
    /// Meta-training per epoch: f's final training loss on the meta-training tasks (end of each unroll, mean) against
    /// g's final loss on the held-out validation tasks at T and k·T, log10 scale; the kept (best) epoch is marked.
    /// </summary>
    public static void MetaTrainingCurves(string title, int[] epochs, double[] trainFinalLoss, double[] validationAtT,
        double[] validationAtLong, int validationFactor, int? bestEpoch, string path)
    {
        var plot = new Plot();
        static double Log(double v) => double.IsFinite(v) ? Math.Log10(Math.Max(v, 1e-6)) : double.NaN;
        var x = epochs.Select(e => (double)e).ToArray();
        void Line(double[] values, string label, Color color, float width)
        {
            var keep = Enumerable.Range(0, values.Length).Where(i => double.IsFinite(values[i])).ToArray();
            if (keep.Length == 0) return;
            var line = plot.Add.ScatterLine(keep.Select(i => x[i]).ToArray(), keep.Select(i => Log(values[i])).ToArray());
            line.Color = color;
            line.LineWidth = width;
            line.MarkerSize = 7;
            line.LegendText = label;
        }
        Line(trainFinalLoss, "meta-training tasks (end of unroll)", Colors.Blue, 2);
        Line(validationAtT, "validation tasks at T", Colors.Red, 2);
        Line(validationAtLong, $"validation tasks at {validationFactor}·T", Colors.Orange, 1.5f);
        if (bestEpoch is int best)
        {
            var v = plot.Add.VerticalLine(best);
            v.Color = Colors.Gray;
            v.LinePattern = LinePattern.Dotted;
            v.LegendText = $"kept g (epoch {best})";
        }
        plot.Axes.SetLimitsX(0.5, Math.Max(1, epochs.Length) + 0.5);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("log10 training loss of f");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 900, 600);
    }
}
