using Harness.Core.Evaluation;
using ScottPlot;

namespace Harness.Core.Reporting;

public static partial class Plots
{
    /// <summary>
    /// The generalisation matrix as a heat map: rows = task sets, columns = horizons, colour = log2 of the median
    /// final-training-loss ratio g/reference (blue: g lower, red: g higher, clamped at ±4), each cell labelled with
    /// g's win rate and the ratio.
    /// </summary>
    public static void GeneralisationMatrix(string title, IReadOnlyList<string> taskSets, IReadOnlyList<GeneralisationCell> cells, string path)
    {
        var horizons = cells.Select(c => c.Horizon).Distinct().Order().ToList();
        var values = new double[taskSets.Count, horizons.Count];
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Balance();
        for (int r = 0; r < taskSets.Count; r++)
            for (int h = 0; h < horizons.Count; h++)
            {
                var cell = cells.FirstOrDefault(c => c.TaskSet == taskSets[r] && c.Horizon == horizons[h]);
                double ratio = cell?.MedianLossRatio ?? double.NaN;
                values[r, h] = double.IsFinite(ratio) && ratio > 0 ? Math.Clamp(Math.Log2(ratio), -4, 4) : double.NaN;
                // One rectangle per cell; row 0 is drawn at the top, so its centre is at y = rows − 0.5.
                var box = plot.Add.Rectangle(h, h + 1, taskSets.Count - r - 1, taskSets.Count - r);
                box.FillColor = double.IsNaN(values[r, h]) ? Colors.LightGray : colormap.GetColor((values[r, h] + 4) / 8);
                box.LineColor = Colors.White;
                var label = plot.Add.Text(cell is null ? "–" : $"wins {cell.WinRate * 100:F0}%\nratio {ratio:G3}", h + 0.5, taskSets.Count - r - 0.5);
                label.LabelFontSize = 14;
                label.LabelFontColor = Math.Abs(values[r, h]) > 2.5 ? Colors.White : Colors.Black; // readable on the dark ends
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        // The heat map itself only carries the colour bar: the rectangles above draw the cells exactly on the ticks.
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = new ScottPlot.Range(-4, 4);
        heatmap.IsVisible = false;
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "log2 median loss ratio g/reference";
        plot.Axes.Bottom.SetTicks(horizons.Select((_, i) => i + 0.5).ToArray(), horizons.Select(h => $"T = {h}").ToArray());
        plot.Axes.Left.SetTicks(taskSets.Select((_, r) => taskSets.Count - r - 0.5).ToArray(), taskSets.ToArray());
        plot.Axes.SetLimits(0, horizons.Count, 0, taskSets.Count);
        plot.Title(title);
        Save(plot, path, 300 + 180 * horizons.Count, 160 + 80 * taskSets.Count);
    }
}
