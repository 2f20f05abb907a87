using ScottPlot;

namespace Harness.Core.Reporting;

public static partial class Plots
{
    /// <summary>Mean test accuracy (%) against step per optimizer, with a 95% band, at the evaluated steps.</summary>
    public static void AccuracyCurves(string title,
        IReadOnlyList<(string Name, double[] Steps, double[] Mean, double[] Low, double[] High)> curves, string path)
    {
        var plot = new Plot();
        for (int k = 0; k < curves.Count; k++)
        {
            var (name, steps, mean, low, high) = curves[k];
            var color = Palette[k % Palette.Length];
            var band = plot.Add.FillY(steps, low.Select(v => v * 100).ToArray(), high.Select(v => v * 100).ToArray());
            band.FillColor = color.WithAlpha(0.15);
            band.LineWidth = 0;
            var line = plot.Add.ScatterLine(steps, mean.Select(v => v * 100).ToArray());
            line.Color = color;
            line.LineWidth = name == "g" ? 3 : 1.5f;
            line.MarkerSize = 4;
            line.LegendText = name;
        }
        plot.Axes.SetLimitsY(40, 101);
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("test accuracy % (mean, 95% band)");
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, 1000, 650);
    }
}
