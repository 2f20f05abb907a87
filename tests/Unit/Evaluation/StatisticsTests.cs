using Harness.Core.Evaluation;

namespace Harness.Tests.Unit.Evaluation;

public class StatisticsTests
{
    [Fact]
    public void Wilcoxon_matches_the_textbook_example_with_a_zero_and_tied_differences()
    {
        // The classic ten pairs (125,110), (115,122), … : one zero difference dropped, |5| tied twice.
        double[] before = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135];
        double[] after = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145];
        var test = Statistics.Wilcoxon(before.Zip(after, (a, b) => a - b).ToArray());
        Assert.Equal(27, test.Statistic);             // W+ ; W- = 18
        Assert.Equal(0.6353, test.PValue, 3);         // normal approximation, tie and continuity corrected
    }

    [Fact]
    public void Wilcoxon_is_exact_for_small_samples_without_ties()
    {
        Assert.Equal(2.0 / 32, Statistics.Wilcoxon([1, 2, 3, 4, 5]).PValue, 12);   // all positive, n = 5
        Assert.Equal(1.0, Statistics.Wilcoxon([0, 0, 0]).PValue);                   // no information
        // W- = 6: 14 of the 64 sign patterns have a rank sum ≤ 6 ({}, 6 singles, 6 pairs, {1,2,3}).
        Assert.Equal(2.0 * 14 / 64, Statistics.Wilcoxon([1, 2, 3, 4, 5, -6]).PValue, 12);
    }

    [Fact]
    public void Sign_test_is_the_exact_binomial_tail()
    {
        Assert.Equal(2 * 11.0 / 1024, Statistics.SignTest(9, 1).PValue, 12);
        Assert.Equal(1.0, Statistics.SignTest(5, 5).PValue, 12);
        Assert.Equal(1.0, Statistics.SignTest(0, 0).PValue);
    }

    [Fact]
    public void Holm_adjusts_step_down_and_keeps_the_input_order()
    {
        var adjusted = Statistics.Holm([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Summaries_and_bootstrap_intervals_are_seeded_and_sensible()
    {
        double[] values = [1, 2, 3, 4, 100];
        var s = Statistics.Summarize(values, 7);
        Assert.Equal(22, s.Mean, 12);
        Assert.Equal(3, s.Median);
        Assert.Equal(Math.Sqrt((441 + 400 + 361 + 324 + 6084) / 4.0), s.Std, 9);
        Assert.True(s.CiLow < s.Mean && s.Mean < s.CiHigh);
        Assert.Equal(s, Statistics.Summarize(values, 7));
        double[] spread = Enumerable.Range(0, 40).Select(i => Math.Sin(i) * 10 + i).ToArray();
        Assert.NotEqual(Statistics.Summarize(spread, 7).CiLow, Statistics.Summarize(spread, 8).CiLow);
        var (low, high) = Statistics.PairedBootstrapCi([1, 2, 3], [1, 2, 3], 1);
        Assert.Equal((0.0, 0.0), (low, high));
    }
}
