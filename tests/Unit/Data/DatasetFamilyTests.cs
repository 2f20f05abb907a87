using Harness.Core;
using Harness.Core.Data;

namespace Harness.Tests.Unit.Data;

public class DatasetFamilyTests
{
    public static TheoryData<DatasetFamily> Families => new(Enum.GetValues<DatasetFamily>());

    private static GeneratorSettings Of(DatasetFamily family, int rows = 1_000) =>
        new(family, rows, Turns: family == DatasetFamily.Spirals ? 2.0 : null);

    [Theory, MemberData(nameof(Families))]
    public void Every_family_draws_half_its_rows_from_each_class_with_two_features(DatasetFamily family)
    {
        var d = DatasetGenerator.Generate(Of(family), 3, "d");
        Assert.Equal(1_000, d.Rows);
        Assert.Equal(500, d.CountOf(0));
        Assert.Equal(["x", "y"], d.FeatureNames);
        Assert.All(d.Features.SelectMany(c => c), v => Assert.True(double.IsFinite(v)));
    }

    [Theory, MemberData(nameof(Families))]
    public void Every_family_is_deterministic_in_its_seed_and_shuffled(DatasetFamily family)
    {
        var a = DatasetGenerator.Generate(Of(family), 5, "d");
        Assert.Equal(a.Fingerprint, DatasetGenerator.Generate(Of(family), 5, "other name").Fingerprint);
        Assert.NotEqual(a.Fingerprint, DatasetGenerator.Generate(Of(family), 6, "d").Fingerprint);
        // Shuffled: the first half of the file is not one class.
        Assert.InRange(a.Label.Take(500).Count(l => l == 0), 150, 350);
    }

    [Fact]
    public void The_study_presets_keep_their_fingerprints_through_the_family_generator()
    {
        var viaFamily = DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Spirals, 100_000, Turns: 2.5), 1, "dataset1");
        // The study's dataset 1 (preset dataset1, seed 1) as earlier releases generated it: the golden snapshots hold it.
        Assert.Equal("sha256:fc784ab3e54177a2de0aa3f4bde7373f731c65b1888c6898c1d2d8755a6d3586", viaFamily.Fingerprint);
        Assert.Equal(viaFamily.Fingerprint, SpiralGenerator.Generate(SpiralParameters.Preset("dataset1"), 1, "d").Fingerprint);
    }

    [Fact]
    public void Moons_lie_on_their_half_circles_without_noise()
    {
        var d = DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Moons, 400, Noise: 0), 1, "m");
        for (int i = 0; i < d.Rows; i++)
        {
            var (cx, cy) = d.Label[i] == 0 ? (0.0, 0.0) : (1.0, 0.5);
            Assert.Equal(1.0, Math.Sqrt(Math.Pow(d.X[i] - cx, 2) + Math.Pow(d.Y[i] - cy, 2)), 9);
            Assert.True(d.Label[i] == 0 ? d.Y[i] >= -1e-12 : d.Y[i] <= 0.5 + 1e-12);
        }
    }

    [Fact]
    public void Circles_put_class_1_on_the_inner_circle_of_radius_factor()
    {
        var d = DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Circles, 400, Noise: 0, Factor: 0.3), 1, "c");
        for (int i = 0; i < d.Rows; i++)
            Assert.Equal(d.Label[i] == 0 ? 1.0 : 0.3, Math.Sqrt(d.X[i] * d.X[i] + d.Y[i] * d.Y[i]), 9);
    }

    [Theory]
    [InlineData(DatasetFamily.Checkerboard, 4)]
    [InlineData(DatasetFamily.Checkerboard, 3)]
    [InlineData(DatasetFamily.Xor, 2)]
    public void Checkerboard_classes_are_the_parity_of_the_cell(DatasetFamily family, int cells)
    {
        var d = DatasetGenerator.Generate(new GeneratorSettings(family, 2_000, Cells: family == DatasetFamily.Xor ? null : cells), 4, "b");
        var occupied = new HashSet<(int, int)>();
        for (int i = 0; i < d.Rows; i++)
        {
            Assert.InRange(d.X[i], -1, 1);
            Assert.InRange(d.Y[i], -1, 1);
            int col = (int)Math.Floor((d.X[i] + 1) / 2 * cells), row = (int)Math.Floor((d.Y[i] + 1) / 2 * cells);
            Assert.Equal((row + col) % 2, d.Label[i]);
            occupied.Add((row, col));
        }
        Assert.Equal(cells * cells, occupied.Count); // every cell is drawn from
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.2)]
    public void Blobs_overlap_is_the_share_on_the_wrong_side_of_the_midline(double overlap)
    {
        var d = DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Blobs, 40_000, Overlap: overlap), 8, "b");
        double wrong = Enumerable.Range(0, d.Rows).Count(i => (d.X[i] > 0 ? 1 : 0) != d.Label[i]) / (double)d.Rows;
        Assert.Equal(overlap, wrong, 0.006);
    }

    [Fact]
    public void Rotation_turns_the_plane_and_keeps_the_radii()
    {
        var plain = DatasetGenerator.Generate(Of(DatasetFamily.Moons), 2, "m");
        var turned = DatasetGenerator.Generate(Of(DatasetFamily.Moons) with { Rotation = 90 }, 2, "m");
        for (int i = 0; i < plain.Rows; i++)
        {
            Assert.Equal(-plain.Y[i], turned.X[i], 9);
            Assert.Equal(plain.X[i], turned.Y[i], 9);
        }
        Assert.Equal(plain.Label, turned.Label);
    }

    [Fact]
    public void Label_noise_flips_the_declared_share_of_each_class_and_keeps_the_balance()
    {
        var plain = DatasetGenerator.Generate(Of(DatasetFamily.Circles), 2, "c");
        var noisy = DatasetGenerator.Generate(Of(DatasetFamily.Circles) with { LabelNoise = 0.1 }, 2, "c");
        Assert.Equal(500, noisy.CountOf(0));
        Assert.Equal(plain.X, noisy.X); // same points, only labels move
        Assert.Equal(100, Enumerable.Range(0, plain.Rows).Count(i => plain.Label[i] != noisy.Label[i]));
        Assert.Equal(50, Enumerable.Range(0, plain.Rows).Count(i => plain.Label[i] == 0 && noisy.Label[i] == 1));
    }

    [Fact]
    public void Extra_dims_add_named_noise_columns_and_leave_x_y_and_labels_alone()
    {
        var plain = DatasetGenerator.Generate(Of(DatasetFamily.Blobs), 2, "b");
        var wide = DatasetGenerator.Generate(Of(DatasetFamily.Blobs) with { ExtraDims = 3 }, 2, "b");
        Assert.Equal(["x", "y", "noise1", "noise2", "noise3"], wide.FeatureNames);
        Assert.Equal(plain.X, wide.X);
        Assert.Equal(plain.Label, wide.Label);
        Assert.NotEqual(plain.Fingerprint, wide.Fingerprint);
        // Pure noise: uncorrelated with the label.
        var noise = wide.Features[2];
        double gap = noise.Where((_, i) => wide.Label[i] == 1).Average() - noise.Where((_, i) => wide.Label[i] == 0).Average();
        Assert.InRange(gap, -0.25, 0.25);
    }

    [Theory]
    [InlineData(DatasetFamily.Moons, "cells", "does not apply to family moons")]
    [InlineData(DatasetFamily.Spirals, "turns", "needs 'turns'")]
    [InlineData(DatasetFamily.Blobs, "overlap", "strictly between 0 and 0.5")]
    [InlineData(DatasetFamily.Circles, "factor", "strictly between 0 and 1")]
    [InlineData(DatasetFamily.Checkerboard, "cells", "2..64")]
    [InlineData(DatasetFamily.Moons, "label_noise", "[0, 0.5)")]
    [InlineData(DatasetFamily.Moons, "extra_dims", "0..1024")]
    [InlineData(DatasetFamily.Moons, "rows", "even")]
    public void Bad_parameters_are_named_by_their_key(DatasetFamily family, string key, string message)
    {
        var settings = new GeneratorSettings(family, 100) with
        {
            Cells = key == "cells" ? (family == DatasetFamily.Moons ? 4 : 1) : null,
            Overlap = key == "overlap" ? 0.5 : null,
            Factor = key == "factor" ? 1.0 : null,
            LabelNoise = key == "label_noise" ? 0.5 : 0,
            ExtraDims = key == "extra_dims" ? 2_000 : 0,
            Rows = key == "rows" ? 7 : 100,
        };
        var problem = Assert.Single(settings.Validate());
        Assert.Equal(key, problem.Key);
        Assert.Contains(message, problem.Message);
        var e = Assert.Throws<UserInputException>(() => DatasetGenerator.Generate(settings, 1, "bad"));
        Assert.Contains("'bad'", e.Message);
    }

    /// <summary>
    /// Each family's bytes, pinned (200 rows, seed 11, rotated 15°, 5 % label noise, one extra dimension): a change
    /// here changes every dataset of that family a spec declares, so it must be deliberate (and documented).
    /// </summary>
    [Theory]
    [InlineData(DatasetFamily.Spirals, "sha256:25aee3534bfbaf5940628f36c1d68e38c43a4c1752a08f780fbbe91f26381310")]
    [InlineData(DatasetFamily.Moons, "sha256:a67ec3176ec36a29afdc3acafb2dbf1eb89843536c01c4682f098c486d08d4f0")]
    [InlineData(DatasetFamily.Circles, "sha256:a4f8f23cbbf2af4cdf9ad0c24e0068d48e4d3f99085418bf6ab2391fdcc7c285")]
    [InlineData(DatasetFamily.Checkerboard, "sha256:674699f8a46e152dbf905c249b394ab140f8618b2291372517a3933cb6a15702")]
    [InlineData(DatasetFamily.Xor, "sha256:35eb8d3bae5cbc5c2dd1971666478146bdb30dbc7ddd22587d14976db8c3c175")]
    [InlineData(DatasetFamily.Blobs, "sha256:6f34e471540d666fe1426d96eb87942b5e560ca6cd8bda125f2020c6f9ad0b65")]
    public void Fingerprints_are_stable(DatasetFamily family, string fingerprint)
    {
        var settings = Of(family, 200) with { Rotation = 15, LabelNoise = 0.05, ExtraDims = 1 };
        Assert.Equal(fingerprint, DatasetGenerator.Generate(settings, 11, "d").Fingerprint);
    }
}
