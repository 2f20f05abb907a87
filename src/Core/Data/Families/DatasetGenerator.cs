using Harness.Core.Randomness;

namespace Harness.Core.Data;

/// <summary>
/// Draws a dataset of any family from a seed: the family's points (the seed's main stream, so the study's spirals are
/// bit-identical to earlier releases), then rotation, label noise and extra dimensions, each from a stream of its
/// own derived from the seed.
/// </summary>
public static class DatasetGenerator
{
    public static Dataset Generate(GeneratorSettings settings, ulong seed, string name)
    {
        var problems = settings.Validate().Select(p => p.Message).ToList();
        if (problems.Count > 0) throw new UserInputException($"invalid settings for dataset '{name}': " + string.Join("; ", problems));

        var rng = new Rng(seed);
        var points = settings.Family switch
        {
            DatasetFamily.Spirals => FromDataset(SpiralGenerator.Generate(settings.Spiral, seed, name)),
            DatasetFamily.Moons => MoonsGenerator.Generate(settings.Rows, settings.ResolvedNoise, rng),
            DatasetFamily.Circles => CirclesGenerator.Generate(settings.Rows, settings.ResolvedFactor, settings.ResolvedNoise, rng),
            DatasetFamily.Checkerboard or DatasetFamily.Xor => CheckerboardGenerator.Generate(settings.Rows, settings.ResolvedCells, rng),
            DatasetFamily.Blobs => BlobsGenerator.Generate(settings.Rows, settings.ResolvedOverlap, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(settings)),
        };
        var (x, y, label) = (points.X, points.Y, points.Label);
        if (settings.Rotation != 0) (x, y) = Rotate(x, y, settings.Rotation);
        if (settings.LabelNoise > 0) label = FlipLabels(label, settings.LabelNoise, SeedDerivation.Rng(seed, "label-noise"));
        var features = new List<double[]> { x, y };
        var names = new List<string> { "x", "y" };
        if (settings.ExtraDims > 0)
        {
            // Nuisance features on the informative features' scale, so raw inputs do not give them away.
            double scale = (Std(x) + Std(y)) / 2;
            var noise = SeedDerivation.Rng(seed, "extra-dims");
            for (int d = 0; d < settings.ExtraDims; d++)
            {
                features.Add(Enumerable.Range(0, settings.Rows).Select(_ => scale * noise.NextGaussian()).ToArray());
                names.Add($"noise{d + 1}");
            }
        }
        return new Dataset(name, features.ToArray(), names.ToArray(), label);
    }

    private static PlanePoints FromDataset(Dataset d) => new(d.X, d.Y, d.Label);

    private static (double[] X, double[] Y) Rotate(double[] x, double[] y, double degrees)
    {
        double angle = degrees * Math.PI / 180, cos = Math.Cos(angle), sin = Math.Sin(angle);
        var rx = new double[x.Length];
        var ry = new double[y.Length];
        for (int i = 0; i < x.Length; i++)
        {
            rx[i] = cos * x[i] - sin * y[i];
            ry[i] = sin * x[i] + cos * y[i];
        }
        return (rx, ry);
    }

    /// <summary>Flips the labels of round(share · rows/2) rows of each class, chosen at random: classes stay balanced.</summary>
    internal static byte[] FlipLabels(byte[] label, double share, Rng rng)
    {
        var flipped = (byte[])label.Clone();
        for (int cls = 0; cls < 2; cls++)
        {
            var rows = Enumerable.Range(0, label.Length).Where(i => label[i] == cls).ToArray();
            rng.Shuffle(rows.AsSpan());
            int count = (int)Math.Round(share * rows.Length, MidpointRounding.AwayFromZero);
            foreach (var row in rows.Take(count)) flipped[row] = (byte)(1 - cls);
        }
        return flipped;
    }

    private static double Std(double[] values)
    {
        double mean = values.Average();
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        return std > 0 ? std : 1;
    }
}
