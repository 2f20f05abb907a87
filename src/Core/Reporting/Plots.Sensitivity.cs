using ScottPlot;

namespace Harness.Core.Reporting;

public static partial class Plots
{
    /// <summary>
    /// Learning-rate sensitivity: mean final training loss on the tuning tasks against the rate, per optimizer, both
    /// on log10 scales. A diverged rate is drawn at the top of the view.
    /// </summary>
    public static void LearningRateSensitivity(string title, IReadOnlyList<(string Name, double[] Rates, double[] Loss)> curves,
        string path)
    {
        var plot = new Plot();
        static double Log(double v) => Math.Log10(Math.Max(v, 1e-6));
        var finite = curves.SelectMany(c => c.Loss).Where(double.IsFinite).Select(Log).ToList();
        double top = finite.Count > 0 ? finite.Max() + 0.5 : 1;
        double bottom = finite.Count > 0 ? finite.Min() - 0.3 : -1;
        for (int k = 0; k < curves.Count; k++)
        {
            var (name, rates, loss) = curves[k];
            var line = plot.Add.ScatterLine(rates.Select(Math.Log10).ToArray(), loss.Select(v => double.IsFinite(v) ? Log(v) : top).ToArray());
            line.Color = Palette[(k + 1) % Palette.Length]; // Palette[0] is g's colour elsewhere
            line.MarkerSize = 5;
            line.LineWidth = 1.5f;
            line.LegendText = name;
        }
        plot.Axes.SetLimitsY(bottom, top + 0.2);
        plot.Title(title);
        plot.XLabel("log10 learning rate");
        plot.YLabel("log10 mean final training loss (tuning tasks)");
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path, 1000, 650);
    }
}
