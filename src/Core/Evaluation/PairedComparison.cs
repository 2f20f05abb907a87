namespace Harness.Core.Evaluation;

/// <summary>
/// g against one baseline at one horizon, paired on the same tasks and inits (lower training loss wins). The accuracy
/// difference (g − baseline, mean over pairs) has a bootstrap 95% CI: "no worse than Adam" is read off its low end.
/// Near 100% accuracy a mean hides how few points differ, so the pairs where g's test accuracy is lower and higher
/// are counted too, with their two-sided sign test. Built only by <see cref="PairedComparisons.All"/>.
/// </summary>
public sealed record PairedComparison(
    string Baseline,
    int Horizon,
    int Pairs,
    double WinRate,
    double SignTestP,
    double WilcoxonP,
    double HolmP,
    double MedianLossRatio,
    double LossDifferenceCiLow,
    double LossDifferenceCiHigh,
    double AccuracyDifference,
    double? SpeedupToTarget,
    double AccuracyDifferenceCiLow,
    double AccuracyDifferenceCiHigh,
    int AccuracyLowerPairs,
    int AccuracyHigherPairs,
    double AccuracySignTestP,
    PairedTestLoss? TestLoss = null,
    double AccuracyWilcoxonP = double.NaN,
    double AccuracyHolmP = double.NaN);

/// <summary>
/// g against one baseline on test loss (the headline that does not saturate): win rate (lower wins; a diverged
/// problem's loss is +∞), sign test, Wilcoxon signed-rank with Holm's correction across every test-loss comparison of
/// the run, median ratio g/baseline and the bootstrap 95% CI of the mean difference (finite pairs).
/// </summary>
public sealed record PairedTestLoss(double WinRate, double SignTestP, double WilcoxonP, double HolmP, double MedianRatio,
    double MeanDifference, double DifferenceCiLow, double DifferenceCiHigh);

/// <summary>g's and one baseline's outcomes on the same problems at one horizon, and the baseline's speedup-to-target.</summary>
public sealed record PairedOutcomes(HorizonOutcome G, HorizonOutcome Baseline, double? SpeedupToTarget);

/// <summary>
/// The paired statistics of g against each baseline: win rate and sign test on final training loss (a diverged
/// problem's loss is +∞, so it loses to any finite one), Wilcoxon signed-rank on the finite pairs' differences with
/// Holm's correction across every comparison of the run, the median loss ratio, bootstrap CIs of the loss and
/// accuracy differences, and the accuracy sign test; the same tests on test loss, and Wilcoxon with Holm on accuracy.
/// </summary>
public static class PairedComparisons
{
    /// <summary>
    /// One comparison per pair, in order; Holm runs over all of them. seedOf(purpose, baseline, horizon) seeds the
    /// bootstrap of "paired" (loss) and "paired-accuracy".
    /// </summary>
    public static IReadOnlyList<PairedComparison> All(IReadOnlyList<PairedOutcomes> pairs, Func<string, string, int, ulong> seedOf,
        int resamples)
    {
        var finite = pairs.Select(p => FinitePairs(p.G.FinalTrainLoss, p.Baseline.FinalTrainLoss)).ToList();
        var wilcoxon = finite.Select(f => Statistics.Wilcoxon(f.Differences).PValue).ToList();
        var holm = Statistics.Holm(wilcoxon);
        var testFinite = pairs.Select(p => FinitePairs(p.G.TestLoss, p.Baseline.TestLoss)).ToList();
        var testWilcoxon = testFinite.Select(f => Statistics.Wilcoxon(f.Differences).PValue).ToList();
        var testHolm = Statistics.Holm(testWilcoxon);
        var accuracyWilcoxon = pairs.Select(p => Statistics.Wilcoxon(AccuracyDifferences(p)).PValue).ToList();
        var accuracyHolm = Statistics.Holm(accuracyWilcoxon);
        return pairs.Select((pair, i) => Of(pair, finite[i], wilcoxon[i], holm[i], seedOf, resamples) with
        {
            TestLoss = TestLossOf(pair, testFinite[i], testWilcoxon[i], testHolm[i], seedOf, resamples),
            AccuracyWilcoxonP = accuracyWilcoxon[i],
            AccuracyHolmP = accuracyHolm[i],
        }).ToList();
    }

    private static List<double> AccuracyDifferences(PairedOutcomes pair) =>
        pair.G.Accuracy.Zip(pair.Baseline.Accuracy, (x, y) => x - y).Where(double.IsFinite).ToList();

    private static PairedTestLoss TestLossOf(PairedOutcomes pair, Finite finite, double wilcoxonP, double holmP,
        Func<string, string, int, ulong> seedOf, int resamples)
    {
        var (g, b) = (pair.G.TestLoss, pair.Baseline.TestLoss);
        int wins = g.Zip(b).Count(x => x.First < x.Second), losses = g.Zip(b).Count(x => x.First > x.Second);
        var (low, high) = finite.Differences.Count > 0
            ? Statistics.PairedBootstrapCi(finite.G, finite.Baseline, seedOf("paired-test-loss", pair.Baseline.Optimizer, pair.Baseline.Horizon), resamples)
            : (double.NaN, double.NaN);
        return new PairedTestLoss((double)wins / g.Length, Statistics.SignTest(wins, losses).PValue, wilcoxonP, holmP,
            finite.Ratios.Count > 0 ? Statistics.Median(finite.Ratios) : double.NaN,
            finite.Differences.Count > 0 ? finite.Differences.Average() : double.NaN, low, high);
    }

    private sealed record Finite(List<double> G, List<double> Baseline, List<double> Differences, List<double> Ratios);

    private static Finite FinitePairs(double[] g, double[] b)
    {
        var result = new Finite([], [], [], []);
        for (int i = 0; i < g.Length; i++)
        {
            if (!double.IsFinite(g[i]) || !double.IsFinite(b[i])) continue;
            result.Differences.Add(g[i] - b[i]);
            result.Ratios.Add(g[i] / Math.Max(b[i], 1e-12));
            result.G.Add(g[i]);
            result.Baseline.Add(b[i]);
        }
        return result;
    }

    private static PairedComparison Of(PairedOutcomes pair, Finite finite, double wilcoxonP, double holmP,
        Func<string, string, int, ulong> seedOf, int resamples)
    {
        var (name, horizon) = (pair.Baseline.Optimizer, pair.Baseline.Horizon);
        var (g, b) = (pair.G.FinalTrainLoss, pair.Baseline.FinalTrainLoss);
        int wins = g.Zip(b).Count(x => x.First < x.Second), losses = g.Zip(b).Count(x => x.First > x.Second);
        var (low, high) = finite.Differences.Count > 0
            ? Statistics.PairedBootstrapCi(finite.G, finite.Baseline, seedOf("paired", name, horizon), resamples)
            : (double.NaN, double.NaN);
        var accuracyDifferences = AccuracyDifferences(pair);
        int lower = accuracyDifferences.Count(d => d < 0), higher = accuracyDifferences.Count(d => d > 0);
        var (accuracyLow, accuracyHigh) = accuracyDifferences.Count > 0
            ? Statistics.BootstrapMeanCi(accuracyDifferences, seedOf("paired-accuracy", name, horizon), resamples)
            : (double.NaN, double.NaN);
        return new PairedComparison(name, horizon, g.Length, (double)wins / g.Length,
            Statistics.SignTest(wins, losses).PValue, wilcoxonP, holmP,
            finite.Ratios.Count > 0 ? Statistics.Median(finite.Ratios) : double.NaN, low, high,
            accuracyDifferences.Count > 0 ? accuracyDifferences.Average() : double.NaN,
            pair.SpeedupToTarget, accuracyLow, accuracyHigh, lower, higher, Statistics.SignTest(higher, lower).PValue);
    }
}
