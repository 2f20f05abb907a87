using Harness.Core.Randomness;

namespace Harness.Core.Data;

/// <summary>A family's 2-D points before the common transforms: coordinates and labels, half of each class.</summary>
internal sealed record PlanePoints(double[] X, double[] Y, byte[] Label)
{
    /// <summary>Rows in class order: class 0 first (rows/2), then class 1; point(cls, rng) draws one point.</summary>
    public static PlanePoints Draw(int rows, Rng rng, Func<byte, Rng, (double X, double Y)> point)
    {
        var x = new double[rows];
        var y = new double[rows];
        var label = new byte[rows];
        for (int i = 0; i < rows; i++)
        {
            byte cls = (byte)(i < rows / 2 ? 0 : 1);
            (x[i], y[i]) = point(cls, rng);
            label[i] = cls;
        }
        return new(x, y, label);
    }

    /// <summary>The same points in a random order (so file order carries no class information).</summary>
    public PlanePoints Shuffled(Rng rng)
    {
        var order = rng.Permutation(Label.Length);
        return new(Permute(X, order), Permute(Y, order), Permute(Label, order));
    }

    private static T[] Permute<T>(T[] values, int[] order)
    {
        var result = new T[values.Length];
        for (int i = 0; i < order.Length; i++) result[i] = values[order[i]];
        return result;
    }
}
