using Harness.Core.Data;
using Harness.Core.Runtime;
using ScottPlot;

namespace Harness.Core.Reporting;

/// <summary>
/// PNG plots (ScottPlot, headless), one file per plot: datasets coloured by class and training-loss curves (here),
/// accuracy curves, decision regions, learning-rate sensitivity and meta-training curves (Plots.*.cs).
/// </summary>
public static partial class Plots
{
    internal static readonly Color[] Palette =
    [
        Colors.Black, Colors.Red, Colors.Blue, Colors.Green, Colors.Orange, Colors.Purple, Colors.Brown,
        Colors.Magenta, Colors.Teal, Colors.Gray, Colors.Olive,
    ];

    /// <summary>A scatter plot of a dataset coloured by class (at most maxPoints rows, evenly spaced), as the study showed its data.</summary>
    public static void DatasetScatter(Dataset data, string path, int maxPoints = 20_000)
    {
        var plot = new Plot();
        int stride = Math.Max(1, data.Rows / maxPoints);
        for (int cls = 0; cls < 2; cls++)
        {
            var rows = Enumerable.Range(0, data.Rows).Where(i => i % stride == 0 && data.Label[i] == cls).ToArray();
            var points = plot.Add.ScatterPoints(rows.Select(i => data.X[i]).ToArray(), rows.Select(i => data.Y[i]).ToArray());
            points.Color = cls == 0 ? Colors.Blue.WithAlpha(0.5) : Colors.Red.WithAlpha(0.5);
            points.MarkerSize = 2;
            points.LegendText = $"class {cls}";
        }
        plot.Title($"{data.Name}: {data.Rows:N0} rows");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.Axes.SquareUnits();
        plot.ShowLegend();
        Save(plot, path, 800, 800);
    }

    /// <summary>
    /// Mean training loss against step per optimizer with a 95% band, on a log10 scale. Steps are each point's step
    /// (a sparse curve keeps every k-th); left out, point i is step i.
    /// </summary>
    public static void LossCurves(string title, IReadOnlyList<(string Name, double[] Mean, double[] Low, double[] High)> curves, string path,
        IReadOnlyList<double[]>? steps = null)
    {
        var plot = new Plot();
        static double Log(double v) => Math.Log10(Math.Max(v, 1e-6));
        double lowest = double.PositiveInfinity, highest = double.NegativeInfinity;
        for (int k = 0; k < curves.Count; k++)
        {
            var (name, mean, low, high) = curves[k];
            var x = steps?[k] ?? Enumerable.Range(0, mean.Length).Select(s => (double)s).ToArray();
            var color = Palette[k % Palette.Length];
            foreach (var m in mean.Where(double.IsFinite).Select(Log))
            {
                lowest = Math.Min(lowest, m);
                highest = Math.Max(highest, m);
            }
            // A normal band on a loss can reach below zero: on the log scale it is cut at a tenth of the mean.
            var band = plot.Add.FillY(x, low.Select((l, i) => Log(Math.Max(l, mean[i] / 10))).ToArray(), high.Select(Log).ToArray());
            band.FillColor = color.WithAlpha(0.15);
            band.LineWidth = 0;
            var line = plot.Add.ScatterLine(x, mean.Select(Log).ToArray());
            line.Color = color;
            line.LineWidth = name == "g" ? 3 : 1.5f;
            line.LegendText = name;
        }
        if (double.IsFinite(lowest)) plot.Axes.SetLimitsY(lowest - 0.3, highest + 0.3); // the means set the view, not spikes
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("log10 training loss (mean, 95% band)");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 1000, 650);
    }

    internal static void Save(Plot plot, string path, int width, int height)
    {
        UserPaths.EnsureFileTarget(path, "the plot");
        var temp = path + $".{Environment.ProcessId}.tmp.png";
        try
        {
            plot.SavePng(temp, width, height);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
