namespace Harness.Core.Evaluation;

/// <summary>
/// A mean with its normal 95% band, mean ± 1.96 standard errors (the band of every curve the harness draws). One value
/// has a band of zero width; none has a NaN mean.
/// </summary>
public sealed record MeanBand(double Mean, double Low, double High)
{
    public static MeanBand Of(IReadOnlyList<double> values)
    {
        double mean = values.Count > 0 ? values.Average() : double.NaN;
        double se = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) / values.Count) : 0;
        return new MeanBand(mean, mean - 1.96 * se, mean + 1.96 * se);
    }
}
