namespace Harness.Core.Data;

/// <summary>Per-feature affine scaling (x − mean) / scale, fitted on a train part and applied unchanged to its test part.</summary>
public sealed record Standardizer(double[] Mean, double[] Scale)
{
    /// <summary>No scaling, for features of width D.</summary>
    public static Standardizer Identity(int features) => new(new double[features], Enumerable.Repeat(1.0, features).ToArray());

    public int Features => Mean.Length;

    public bool IsIdentity => Mean.All(m => m == 0) && Scale.All(s => s == 1);

    /// <summary>Fits on row-major features [n, D].</summary>
    public static Standardizer Fit(Standardization kind, ReadOnlySpan<float> features, int width)
    {
        if (kind == Standardization.None) return Identity(width);
        int n = features.Length / width;
        if (n == 0) return Identity(width);
        var mean = new double[width];
        var scale = new double[width];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < width; d++) mean[d] += features[i * width + d];
        for (int d = 0; d < width; d++) mean[d] /= n;
        var ss = new double[width];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < width; d++) ss[d] += Math.Pow(features[i * width + d] - mean[d], 2);
        // Population std; a constant feature keeps scale 1 instead of dividing by zero.
        for (int d = 0; d < width; d++)
        {
            double std = Math.Sqrt(ss[d] / n);
            scale[d] = std > 0 ? std : 1;
        }
        return new(mean, scale);
    }

    public float[] Apply(ReadOnlySpan<float> features)
    {
        var result = new float[features.Length];
        int width = Features;
        for (int i = 0; i < features.Length; i++)
            result[i] = (float)((features[i] - Mean[i % width]) / Scale[i % width]);
        return result;
    }

    public bool Equals(Standardizer? other) =>
        other is not null && Mean.AsSpan().SequenceEqual(other.Mean) && Scale.AsSpan().SequenceEqual(other.Scale);

    public override int GetHashCode() => HashCode.Combine(Mean.Length, Mean.FirstOrDefault(), Scale.FirstOrDefault());
}
