using Harness.Core;
using Harness.Core.Data;

namespace Harness.Tests.Unit.Data;

public class SpiralGeneratorTests
{
    private static readonly SpiralParameters Small = new(Rows: 20_000, Turns: 2.5);

    [Theory]
    [InlineData("dataset1", 100_000, 2.5)]
    [InlineData("dataset2", 60_000, 2.0)]
    public void Presets_match_the_study(string preset, int rows, double turns)
    {
        var p = SpiralParameters.Preset(preset);
        Assert.Equal(rows, p.Rows);
        Assert.Equal(turns, p.Turns);
        Assert.Equal(44.0, p.Pitch);
        Assert.Equal(3.0, p.Offset);
    }

    [Fact]
    public void Classes_are_balanced_and_rows_as_asked()
    {
        var d = SpiralGenerator.Generate(Small, 1);
        Assert.Equal(20_000, d.Rows);
        Assert.Equal(10_000, d.CountOf(0));
        Assert.Equal(10_000, d.CountOf(1));
    }

    [Fact]
    public void Every_point_lies_on_its_class_spiral_within_the_radial_noise()
    {
        var d = SpiralGenerator.Generate(Small, 5);
        var residuals = new List<double>();
        for (int i = 0; i < d.Rows; i++)
        {
            double r = Math.Sqrt(d.X[i] * d.X[i] + d.Y[i] * d.Y[i]);
            double angle = Math.Atan2(d.Y[i], d.X[i]) - (d.Label[i] == 1 ? Math.PI : 0);
            double frac = ((angle / (2 * Math.PI)) % 1 + 1) % 1;
            // r = 44 t + 3 with t = frac + k for the nearest whole number of turns k.
            double best = Enumerable.Range(-1, 5).Select(k => r - (44 * (frac + k) + 3)).MinBy(Math.Abs);
            residuals.Add(best);
        }
        double rms = Math.Sqrt(residuals.Average(v => v * v));
        Assert.InRange(rms, 0.9, 1.1); // radial noise std = 1
        Assert.True(residuals.Max(Math.Abs) < 6, $"largest residual {residuals.Max(Math.Abs)}");
    }

    [Fact]
    public void Points_are_uniform_along_the_arc_length_so_the_outer_half_turn_count_matches_its_length()
    {
        var d = SpiralGenerator.Generate(Small, 9);
        // Arc length of r = a t + b over t in [t0, t1] with angle 2πt ≈ ∫ 2π r dt (the pitch term is small).
        static double Length(double t0, double t1) => Math.PI * (44 * (t1 * t1 - t0 * t0) + 2 * 3 * (t1 - t0));
        double expectedOuter = Length(2.0, 2.5) / Length(0, 2.5);
        double r2 = 44 * 2.0 + 3;
        double outer = Enumerable.Range(0, d.Rows).Count(i => Math.Sqrt(d.X[i] * d.X[i] + d.Y[i] * d.Y[i]) > r2) / (double)d.Rows;
        Assert.InRange(outer, expectedOuter - 0.02, expectedOuter + 0.02);
    }

    [Fact]
    public void Same_seed_gives_identical_data_and_another_seed_different_data()
    {
        Assert.Equal(SpiralGenerator.Generate(Small, 3).Fingerprint, SpiralGenerator.Generate(Small, 3).Fingerprint);
        Assert.NotEqual(SpiralGenerator.Generate(Small, 3).Fingerprint, SpiralGenerator.Generate(Small, 4).Fingerprint);
    }

    [Fact]
    public void Class_one_is_class_zero_rotated_by_pi()
    {
        var d = SpiralGenerator.Generate(Small with { RadialNoise = 0 }, 2);
        // At angle 0 (positive x axis) class 0 sits at r = 3 + 44k; class 1 at r = 25 + 44k.
        var nearAxis = Enumerable.Range(0, d.Rows).Where(i => d.X[i] > 0 && Math.Abs(d.Y[i]) < 0.5).ToArray();
        Assert.NotEmpty(nearAxis);
        foreach (int i in nearAxis)
        {
            double phase = ((d.X[i] - (d.Label[i] == 0 ? 3 : 25)) % 44 + 44) % 44;
            Assert.True(phase < 1 || phase > 43, $"row {i}: x={d.X[i]} label {d.Label[i]}");
        }
    }

    [Fact]
    public void Invalid_parameters_get_a_clear_error()
    {
        var e = Assert.Throws<UserInputException>(() => SpiralGenerator.Generate(new SpiralParameters(7, -1), 1));
        Assert.Contains("rows must be an even number", e.Message);
        Assert.Contains("turns must be a positive number", e.Message);
        Assert.Throws<UserInputException>(() => SpiralParameters.Preset("dataset3"));
    }
}
