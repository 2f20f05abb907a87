namespace Harness.Core.Data;

/// <summary>Per-feature affine scaling fitted on a train part and applied unchanged to its test part.</summary>
public sealed record Standardizer(double MeanX, double MeanY, double ScaleX, double ScaleY)
{
    public static readonly Standardizer Identity = new(0, 0, 1, 1);

    public static Standardizer Fit(Standardization kind, ReadOnlySpan<float> features)
    {
        if (kind == Standardization.None) return Identity;
        int n = features.Length / 2;
        if (n == 0) return Identity;
        double sumX = 0, sumY = 0;
        for (int i = 0; i < n; i++) { sumX += features[2 * i]; sumY += features[2 * i + 1]; }
        double meanX = sumX / n, meanY = sumY / n;
        double ssX = 0, ssY = 0;
        for (int i = 0; i < n; i++)
        {
            ssX += Math.Pow(features[2 * i] - meanX, 2);
            ssY += Math.Pow(features[2 * i + 1] - meanY, 2);
        }
        // Population std; a constant feature keeps scale 1 instead of dividing by zero.
        double stdX = Math.Sqrt(ssX / n), stdY = Math.Sqrt(ssY / n);
        return new(meanX, meanY, stdX > 0 ? stdX : 1, stdY > 0 ? stdY : 1);
    }

    public float[] Apply(ReadOnlySpan<float> features)
    {
        var result = new float[features.Length];
        for (int i = 0; i < features.Length; i += 2)
        {
            result[i] = (float)((features[i] - MeanX) / ScaleX);
            result[i + 1] = (float)((features[i + 1] - MeanY) / ScaleY);
        }
        return result;
    }
}
