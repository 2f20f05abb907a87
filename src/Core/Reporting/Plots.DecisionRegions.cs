using ScottPlot;

namespace Harness.Core.Reporting;

/// <summary>f's predicted probability of class 1 over a grid of (x, y), and the points it is judged on.</summary>
public sealed record DecisionGrid(string Optimizer, double XMin, double XMax, double YMin, double YMax, double[,] Probability,
    float[] PointsXY, float[] PointLabels, double TestAccuracy);

public static partial class Plots
{
    /// <summary>Decision regions of f (probability of class 1, blue to red) with the test points on top, one panel per call.</summary>
    public static void DecisionRegions(string title, DecisionGrid grid, string path)
    {
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(grid.Probability);
        heatmap.Extent = new CoordinateRect(grid.XMin, grid.XMax, grid.YMin, grid.YMax);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        for (int cls = 0; cls < 2; cls++)
        {
            var rows = Enumerable.Range(0, grid.PointLabels.Length).Where(i => (int)grid.PointLabels[i] == cls).ToArray();
            var points = plot.Add.ScatterPoints(rows.Select(i => (double)grid.PointsXY[2 * i]).ToArray(),
                rows.Select(i => (double)grid.PointsXY[2 * i + 1]).ToArray());
            points.Color = cls == 0 ? Colors.Navy : Colors.DarkRed;
            points.MarkerSize = 3;
            points.LegendText = $"test class {cls}";
        }
        plot.Add.ColorBar(heatmap);
        plot.Title($"{title}: {grid.Optimizer}, test accuracy {grid.TestAccuracy * 100:F1}%");
        plot.XLabel("x (standardised)");
        plot.YLabel("y (standardised)");
        plot.Axes.SetLimits(grid.XMin, grid.XMax, grid.YMin, grid.YMax);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 800, 720);
    }
}
