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
}
