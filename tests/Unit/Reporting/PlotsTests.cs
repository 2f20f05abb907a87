using Harness.Core.Data;
using Harness.Core.Reporting;
using SkiaSharp;

namespace Harness.Tests.Unit.Reporting;

public class PlotsTests
{
    private static (int Width, int Height, HashSet<uint> Colors) Read(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        var colors = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3)
                colors.Add((uint)bitmap.GetPixel(x, y));
        return (bitmap.Width, bitmap.Height, colors);
    }

    [Fact]
    public void Dataset_scatter_is_a_square_png_with_both_class_colours()
    {
        var path = Path.Combine(Path.GetTempPath(), $"harness-scatter-{Guid.NewGuid():N}.png");
        try
        {
            Plots.DatasetScatter(SpiralGenerator.Generate(new SpiralParameters(4_000, 2.5), 1, "d"), path);
            var (width, height, colors) = Read(path);
            Assert.Equal((800, 800), (width, height));
            Assert.True(colors.Count > 20, $"only {colors.Count} colours: blank or single-coloured");
            Assert.Contains(colors, c => ((c >> 16) & 0xFF) > 200 && (c & 0xFF) < 150);  // reddish (class 1)
            Assert.Contains(colors, c => (c & 0xFF) > 200 && ((c >> 16) & 0xFF) < 150);  // bluish (class 0)
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Loss_curves_are_drawn_with_bands_even_when_a_band_reaches_below_zero()
    {
        var path = Path.Combine(Path.GetTempPath(), $"harness-curves-{Guid.NewGuid():N}.png");
        try
        {
            double[] mean = Enumerable.Range(0, 50).Select(i => 0.7 * Math.Exp(-i / 10.0)).ToArray();
            Plots.LossCurves("test", [("g", mean, mean.Select(m => m - 0.5).ToArray(), mean.Select(m => m * 1.2).ToArray()),
                ("adam", mean.Select(m => m * 1.5).ToArray(), mean, mean.Select(m => m * 2).ToArray())], path);
            var (width, height, colors) = Read(path);
            Assert.Equal((1000, 650), (width, height));
            Assert.True(colors.Count > 20, $"only {colors.Count} colours: blank or single-coloured");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Check(string name, Action<string> draw, (int, int) size)
    {
        var path = Path.Combine(Path.GetTempPath(), $"harness-{name}-{Guid.NewGuid():N}.png");
        try
        {
            draw(path);
            var (width, height, colors) = Read(path);
            Assert.Equal(size, (width, height));
            Assert.True(colors.Count > 20, $"{name}: only {colors.Count} colours: blank or single-coloured");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Accuracy_curves_sensitivity_and_meta_training_plots_are_drawn()
    {
        double[] steps = [0, 5, 10, 20];
        Check("accuracy", p => Plots.AccuracyCurves("t", [("g", steps, [0.5, 0.7, 0.9, 0.99], [0.45, 0.6, 0.85, 0.97], [0.55, 0.8, 0.95, 1.0]),
            ("adam", steps, [0.5, 0.6, 0.8, 0.95], [0.45, 0.5, 0.7, 0.9], [0.55, 0.7, 0.9, 1.0])], p), (1000, 650));
        Check("sensitivity", p => Plots.LearningRateSensitivity("t",
            [("adam", [0.001, 0.01, 0.1], [0.3, 0.05, double.PositiveInfinity]), ("sgd", [0.001, 0.01, 0.1], [0.69, 0.6, 0.4])], p), (1000, 650));
        Check("meta", p => Plots.MetaTrainingCurves("t", [1, 2, 3], [0.2, 0.1, 0.08], [0.25, 0.12, 0.13], [0.1, 0.05, double.NaN], 4, 2, p), (900, 600));
    }

    [Fact]
    public void Decision_regions_show_both_classes_of_probability()
    {
        var probability = new double[40, 40];
        for (int r = 0; r < 40; r++) for (int c = 0; c < 40; c++) probability[r, c] = c / 39.0;
        var grid = new DecisionGrid("g", -2, 2, -2, 2, probability, [-1f, 0f, 1f, 0f], [0f, 1f], 1.0);
        var path = Path.Combine(Path.GetTempPath(), $"harness-regions-{Guid.NewGuid():N}.png");
        try
        {
            Plots.DecisionRegions("t", grid, path);
            var (width, height, colors) = Read(path);
            Assert.Equal((800, 720), (width, height));
            Assert.Contains(colors, c => ((c >> 16) & 0xFF) > 150 && (c & 0xFF) < 100);  // red (probability near 1)
            Assert.Contains(colors, c => (c & 0xFF) > 150 && ((c >> 16) & 0xFF) < 100);  // blue (near 0)
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Decision_regions_put_the_first_grid_row_at_the_top_as_points_are_placed()
    {
        // Probability 1 in the upper half of the grid (rows 0-19, large y), 0 in the lower half.
        var probability = new double[40, 40];
        for (int r = 0; r < 40; r++) for (int c = 0; c < 40; c++) probability[r, c] = r < 20 ? 1 : 0;
        var grid = new DecisionGrid("g", -2, 2, -2, 2, probability, [0f, 1.5f, 0f, -1.5f], [1f, 0f], 1.0);
        var path = Path.Combine(Path.GetTempPath(), $"harness-regions-{Guid.NewGuid():N}.png");
        try
        {
            Plots.DecisionRegions("t", grid, path);
            using var bitmap = SKBitmap.Decode(path);
            var top = bitmap.GetPixel(bitmap.Width / 2 - 40, bitmap.Height / 4);
            var bottom = bitmap.GetPixel(bitmap.Width / 2 - 40, bitmap.Height * 3 / 4);
            Assert.True(top.Red > top.Blue + 30, $"top is {top}, expected a red (probability 1)");
            Assert.True(bottom.Blue > bottom.Red + 30, $"bottom is {bottom}, expected a blue (probability 0)");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
