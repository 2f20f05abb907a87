using Harness.Core.Randomness;

namespace Harness.Core.Data;

/// <summary>Seeded two-spirals generator (see <see cref="SpiralParameters"/>).</summary>
public static class SpiralGenerator
{
    private const int ArcTableSegments = 20_000;

    public static Dataset Generate(SpiralParameters p, ulong seed, string name = "spirals")
    {
        var problems = p.Problems();
        if (problems.Count > 0) throw new UserInputException("invalid spiral parameters: " + string.Join("; ", problems));

        var rng = new Rng(seed);
        var arc = ArcLengthTable(p);
        double totalLength = arc[^1];
        int perClass = p.Rows / 2;
        var x = new double[p.Rows];
        var y = new double[p.Rows];
        var label = new byte[p.Rows];
        for (int i = 0; i < p.Rows; i++)
        {
            byte cls = (byte)(i < perClass ? 0 : 1);
            double t = TurnsAtArcLength(arc, rng.NextDouble() * totalLength, p.Turns);
            double r = p.Pitch * t + p.Offset + p.RadialNoise * rng.NextGaussian();
            double angle = 2 * Math.PI * t + (cls == 1 ? Math.PI : 0.0);
            x[i] = r * Math.Cos(angle);
            y[i] = r * Math.Sin(angle);
            label[i] = cls;
        }
        // Shuffle so that file order carries no class information.
        var order = rng.Permutation(p.Rows);
        return new Dataset(name, Permute(x, order), Permute(y, order), Permute(label, order));
    }

    private static T[] Permute<T>(T[] values, int[] order)
    {
        var result = new T[values.Length];
        for (int i = 0; i < order.Length; i++) result[i] = values[order[i]];
        return result;
    }

    /// <summary>Cumulative arc length at t = k·Turns/Segments, k = 0..Segments (trapezoid rule on |dr/dt|).</summary>
    private static double[] ArcLengthTable(SpiralParameters p)
    {
        var table = new double[ArcTableSegments + 1];
        double dt = p.Turns / ArcTableSegments;
        double Speed(double t)
        {
            // Position (r cos 2πt, r sin 2πt): |d/dt| = sqrt(Pitch² + (2π r)²).
            double r = p.Pitch * t + p.Offset;
            return Math.Sqrt(p.Pitch * p.Pitch + 4 * Math.PI * Math.PI * r * r);
        }
        for (int k = 1; k <= ArcTableSegments; k++)
        {
            table[k] = table[k - 1] + 0.5 * dt * (Speed((k - 1) * dt) + Speed(k * dt));
        }
        return table;
    }

    private static double TurnsAtArcLength(double[] table, double s, double turns)
    {
        int index = Array.BinarySearch(table, s);
        if (index >= 0) return turns * index / ArcTableSegments;
        int upper = ~index;
        if (upper >= table.Length) return turns;
        int lower = upper - 1;
        double fraction = (s - table[lower]) / (table[upper] - table[lower]);
        return turns * (lower + fraction) / ArcTableSegments;
    }
}
