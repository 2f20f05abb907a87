using Harness.Core.Randomness;
using MathNet.Numerics.Distributions;

namespace Harness.Core.Evaluation;

/// <summary>Summary of one quantity across tasks: mean, std (sample), median and a seeded 95% bootstrap CI of the mean.</summary>
public sealed record Summary(int N, double Mean, double Std, double Median, double CiLow, double CiHigh);

/// <summary>A paired test result.</summary>
public sealed record PairedTest(double Statistic, double PValue);

/// <summary>The statistics of Harness's comparisons, checked against textbook examples in the unit tests.</summary>
public static class Statistics
{
    public static Summary Summarize(IReadOnlyList<double> values, ulong seed, int resamples = 2000)
    {
        if (values.Count == 0) return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = values.Average();
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        var (low, high) = BootstrapMeanCi(values, seed, resamples);
        return new Summary(values.Count, mean, std, Median(values), low, high);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Percentile bootstrap 95% CI of the mean, from a seeded generator.</summary>
    public static (double Low, double High) BootstrapMeanCi(IReadOnlyList<double> values, ulong seed, int resamples = 2000)
    {
        var rng = new Rng(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < values.Count; i++) sum += values[rng.NextInt(values.Count)];
            means[r] = sum / values.Count;
        }
        Array.Sort(means);
        return (Quantile(means, 0.025), Quantile(means, 0.975));
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>Two-sided exact sign test: wins vs losses (ties dropped) under Binomial(n, 1/2).</summary>
    public static PairedTest SignTest(int wins, int losses)
    {
        int n = wins + losses;
        if (n == 0) return new PairedTest(0, 1);
        int k = Math.Min(wins, losses);
        double p = Math.Min(1, 2 * Binomial.CDF(0.5, n, k));
        return new PairedTest(wins, p);
    }

    /// <summary>
    /// Wilcoxon signed-rank test of paired differences (two-sided). Zero differences are dropped (Wilcoxon's method);
    /// tied |differences| get average ranks. Exact distribution for n ≤ 25 without ties, otherwise the normal
    /// approximation with tie correction and continuity correction. Statistic: W⁺ (sum of ranks of positive differences).
    /// </summary>
    public static PairedTest Wilcoxon(IReadOnlyList<double> differences)
    {
        var nonZero = differences.Where(d => d != 0 && !double.IsNaN(d)).ToArray();
        int n = nonZero.Length;
        if (n == 0) return new PairedTest(0, 1);
        var ranks = MetricSuite.AverageRanks(nonZero.Select(Math.Abs).ToArray());
        double wPlus = 0;
        for (int i = 0; i < n; i++) if (nonZero[i] > 0) wPlus += ranks[i];
        bool ties = ranks.Distinct().Count() != n;
        if (n <= 25 && !ties)
        {
            // Exact: count subsets of {1..n} by rank sum.
            int max = n * (n + 1) / 2;
            var counts = new double[max + 1];
            counts[0] = 1;
            for (int r = 1; r <= n; r++)
                for (int s = max; s >= r; s--) counts[s] += counts[s - r];
            double total = Math.Pow(2, n);
            int w = (int)Math.Round(Math.Min(wPlus, max - wPlus));
            double tail = 0;
            for (int s = 0; s <= w; s++) tail += counts[s];
            return new PairedTest(wPlus, Math.Min(1, 2 * tail / total));
        }
        double mean = n * (n + 1) / 4.0;
        double tieTerm = ranks.GroupBy(r => r).Sum(g => Math.Pow(g.Count(), 3) - g.Count());
        double variance = n * (n + 1) * (2 * n + 1) / 24.0 - tieTerm / 48.0;
        double z = (Math.Abs(wPlus - mean) - 0.5) / Math.Sqrt(variance);
        return new PairedTest(wPlus, Math.Min(1, 2 * (1 - Normal.CDF(0, 1, Math.Max(0, z)))));
    }

    /// <summary>Percentile bootstrap 95% CI of the mean paired difference (resampling pairs).</summary>
    public static (double Low, double High) PairedBootstrapCi(IReadOnlyList<double> a, IReadOnlyList<double> b, ulong seed, int resamples = 2000) =>
        BootstrapMeanCi(a.Zip(b, (x, y) => x - y).ToArray(), seed, resamples);

    /// <summary>Holm's step-down adjustment of p-values (family-wise error), in the input order.</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        int m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, (m - k) * pValues[order[k]]));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }

    /// <summary>
    /// The interquartile mean: the mean of the middle half, after dropping ⌊n/4⌋ values from each end (scipy's
    /// trim_mean(·, 0.25), rliable's IQM): robust to a few outlying tasks, less noisy than the median.
    /// </summary>
    public static double InterquartileMean(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int cut = sorted.Length / 4;
        return sorted.Skip(cut).Take(sorted.Length - 2 * cut).Average();
    }

    /// <summary>Percentile bootstrap 95% CI of the interquartile mean, resampling values (tasks) from a seeded generator.</summary>
    public static (double Low, double High) BootstrapIqmCi(IReadOnlyList<double> values, ulong seed, int resamples = 2000)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        var rng = new Rng(seed);
        var iqms = new double[resamples];
        var sample = new double[values.Count];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < values.Count; i++) sample[i] = values[rng.NextInt(values.Count)];
            iqms[r] = InterquartileMean(sample);
        }
        Array.Sort(iqms);
        return (Quantile(iqms, 0.025), Quantile(iqms, 0.975));
    }
}
