namespace Harness.Core.Evaluation;

/// <summary>
/// Times two alternatives in paired rounds (alternating which goes first) and reports medians, so that a slow phase of
/// a shared machine hits both sides of a ratio alike: single timings on this VM varied 4× between idle runs.
/// </summary>
public sealed record PairedTiming(double[] First, double[] Second)
{
    public double[] Ratios => First.Zip(Second, (a, b) => b / a).ToArray();
    public double MedianFirst => Statistics.Median(First);
    public double MedianSecond => Statistics.Median(Second);
    /// <summary>The median of the per-round ratios second / first.</summary>
    public double MedianRatio => Statistics.Median(Ratios);
    public double MinRatio => Ratios.Min();
    public double MaxRatio => Ratios.Max();

    public static PairedTiming Measure(int rounds, Func<double> first, Func<double> second)
    {
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), "at least one round");
        var a = new double[rounds];
        var b = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                a[round] = first();
                b[round] = second();
            }
            else
            {
                b[round] = second();
                a[round] = first();
            }
        }
        return new PairedTiming(a, b);
    }
}
