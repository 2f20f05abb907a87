using Harness.Core.Data;
using Harness.Core.Evaluation;

namespace Harness.Tests.Unit.Evaluation;

/// <summary>The comparison's pieces on hand-made traces: divergence, bands, curves, rate tuning, summaries, paired tests.</summary>
public class ComparisonTests
{
    /// <summary>One test task with 4 points, labels 1, 1, 0, 0.</summary>
    private static readonly SplitTask Task = new(7, [0, 0], [1], new float[8], [1, 1, 0, 0], [0], [1, 2, 3, 4], Standardizer.Identity(2));

    private static readonly float[] AllRight = [5, 5, -5, -5];
    private static readonly float[] HalfRight = [5, -5, -5, 5];

    /// <summary>A trace over steps 0..2 whose test logits at every step are the given ones per problem.</summary>
    private static TrainingTrace Trace(float[][] losses, float[][] logits, int?[]? divergedAt = null)
    {
        int n = losses.Length;
        var diverged = divergedAt ?? new int?[n];
        var steps = Enumerable.Range(0, losses[0].Length).ToDictionary(s => s, _ => logits);
        return new TrainingTrace(losses, steps, diverged.Select(d => d is not null).ToArray(),
            diverged.Select(d => d ?? int.MaxValue).ToArray(), 0, losses.Select(_ => new float[1]).ToArray());
    }

    [Fact]
    public void A_problem_counts_as_diverged_from_its_divergence_step_on()
    {
        var trace = Trace([[1, 2, float.NaN], [1, 1, 1]], [AllRight, AllRight], [2, null]);
        Assert.False(trace.DivergedBy(0, 1));
        Assert.True(trace.DivergedBy(0, 2));
        Assert.False(trace.DivergedBy(1, 2));
    }

    [Fact]
    public void The_band_is_the_mean_plus_minus_1_96_standard_errors()
    {
        var band = MeanBand.Of([1.0, 3.0]);
        Assert.Equal(2.0, band.Mean);
        Assert.Equal(2.0 - 1.96, band.Low, 12); // std √2, se = √2/√2 = 1
        Assert.Equal(2.0 + 1.96, band.High, 12);
        Assert.Equal(new MeanBand(5, 5, 5), MeanBand.Of([5.0]));
        Assert.True(double.IsNaN(MeanBand.Of([]).Mean));
    }

    [Fact]
    public void Curves_leave_out_problems_diverged_by_the_horizon_and_the_median_counts_them_as_infinite()
    {
        var trace = Trace([[1, 0.5f, float.NaN], [3, 1.5f, 1]], [AllRight, HalfRight], [2, null]);
        var curve = TrainingCurves.MeanTrainLoss("x", 2, trace).ToList();
        Assert.Equal([3.0, 1.5, 1.0], curve.Select(c => c.Mean));
        Assert.Equal([2.0, 1.0], TrainingCurves.MeanTrainLoss("x", 1, trace).Select(c => c.Mean));
        Assert.Equal([2.0, 1.0, double.PositiveInfinity], TrainingCurves.MedianTrainLoss(trace, 2));
        var accuracy = TrainingCurves.TestAccuracy("x", 2, trace, [Task], [(0, 0), (0, 1)]).ToList();
        Assert.Equal([0.75, 0.75, 0.5], accuracy.Select(a => a.Mean));
        Assert.Equal(0.5, TrainingCurves.FractionToReach([3, 2, 1, 0.5], 1, 4));
        Assert.Null(TrainingCurves.FractionToReach([3, 2], 1, 2));
    }

    [Fact]
    public void Tuning_chooses_the_lowest_mean_loss_and_a_rate_with_any_diverged_task_scores_infinity()
    {
        double[] grid = [0.01, 0.1, 1];
        var (problems, rates) = RateTuning.Layout(2, grid);
        Assert.Equal([(0, 0), (0, 0), (0, 0), (1, 0), (1, 0), (1, 0)], problems);
        Assert.Equal([0.01, 0.1, 1, 0.01, 0.1, 1], rates);
        // Rate 1 is best on task 0 but diverges on task 1; rate 0.1 has the lowest mean over both.
        var trace = Trace([[1, 0.9f, 0.8f], [1, 0.5f, 0.4f], [1, 0.1f, 0.05f], [1, 0.9f, 0.7f], [1, 0.5f, 0.3f], [1, float.NaN, float.NaN]],
            [AllRight, AllRight, AllRight, HalfRight, AllRight, AllRight], [null, null, null, null, null, 1]);
        var (points, chosen) = RateTuning.AtHorizon("adam", 2, trace, grid, [Task, Task], problems);
        Assert.Equal(new TunedRate(0.1, false), chosen);
        Assert.Equal(double.PositiveInfinity, points[2].MeanTrainLoss);
        Assert.Equal(1, points[2].Diverged);
        Assert.Equal(0.75, points[2].MeanTestAccuracy); // the diverged task counts as chance, 0.5
        Assert.Equal(0.75, points[0].MeanTestAccuracy);
        var (_, edge) = RateTuning.AtHorizon("adam", 1, Trace([[1, 0.1f], [1, 0.5f]], [AllRight, AllRight]), [0.01, 0.1], [Task], [(0, 0), (0, 0)]);
        Assert.Equal(new TunedRate(0.01, true), edge);
    }

    [Fact]
    public void Metric_names_map_to_their_values_and_an_unknown_one_is_refused()
    {
        var report = new ClassificationReport(0.9, 0.2, 0.8, 0.7, 0.75, 0.95, 0.93, 1, 2, 3, 4);
        Assert.Equal([0.9, 0.2, 0.8, 0.7, 0.75, 0.95, 0.93], MetricSuite.MetricsOf("classification").Select(report.Value));
        Assert.Throws<ArgumentException>(() => report.Value("speed"));
    }

    [Fact]
    public void An_outcome_reads_a_trace_at_a_horizon_and_summarises_the_problems_that_did_not_diverge()
    {
        var trace = Trace([[1, 0.5f, float.NaN], [1, 0.25f, 0.2f]], [AllRight, HalfRight], [2, null]);
        var at1 = HorizonOutcome.Read("g", 1, trace, [Task], [(0, 0), (0, 1)]);
        Assert.Equal([0.5, 0.25], at1.FinalTrainLoss);
        Assert.Equal([1.0, 0.5], at1.Accuracy);
        var at2 = HorizonOutcome.Read("g", 2, trace, [Task], [(0, 0), (0, 1)]);
        Assert.Equal(double.PositiveInfinity, at2.FinalTrainLoss[0]);
        Assert.Null(at2.Test[0]);
        var summary = at2.Summarize(new TunedRate(0.1, true), ["accuracy"], _ => 1, 100, trace);
        Assert.Equal((1, 0.5, 0.1, true), (summary.Diverged, summary.TestMetrics["accuracy"].Mean, summary.LearningRate, summary.RateAtGridEdge));
        Assert.Equal(0.2, summary.FinalTrainLoss.Mean, 6);
        Assert.Null(summary.FallbackShare);
        Assert.Equal(Statistics.Summarize([1.0, 0.5], 0, 100).Std, at1.MeanStdAcrossInits([(0, 0), (0, 1)]), 12); // both inits of task 0
        Assert.True(double.IsNaN(at1.MeanStdAcrossInits([(0, 0), (1, 0)])));                                  // one init per task: no spread
    }

    [Fact]
    public void Paired_comparisons_count_wins_test_the_finite_pairs_and_correct_across_all_comparisons()
    {
        HorizonOutcome Outcome(string name, double[] losses, double[] accuracy) => new(name, 10, losses,
            accuracy.Select(a => (ClassificationReport?)new ClassificationReport(a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).ToArray());
        var g = Outcome("g", [0.1, 0.2, 0.3, double.PositiveInfinity, 0.1, 0.1], [1, 1, 0.9, 0.5, 1, 1]);
        var adam = Outcome("adam", [0.2, 0.3, 0.2, 0.5, 0.2, 0.2], [1, 0.9, 1, 1, 1, 0.9]);
        var sgd = Outcome("sgd", [0.9, 0.9, 0.9, 0.9, 0.9, 0.9], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
        var seeds = new List<(string, string, int)>();
        var all = PairedComparisons.All([new(g, adam, 0.5), new(g, sgd, null)], (p, b, h) => { seeds.Add((p, b, h)); return 3; }, 200);
        var vsAdam = all[0];
        Assert.Equal(("adam", 10, 6), (vsAdam.Baseline, vsAdam.Horizon, vsAdam.Pairs));
        Assert.Equal(4.0 / 6, vsAdam.WinRate, 12);             // the diverged pair is a loss
        Assert.Equal(Statistics.SignTest(4, 2).PValue, vsAdam.SignTestP);
        Assert.Equal(Statistics.Wilcoxon([0.1 - 0.2, 0.2 - 0.3, 0.3 - 0.2, 0.1 - 0.2, 0.1 - 0.2]).PValue, vsAdam.WilcoxonP, 12);
        Assert.Equal(0.5, vsAdam.MedianLossRatio, 12);
        Assert.Equal((2, 2), (vsAdam.AccuracyHigherPairs, vsAdam.AccuracyLowerPairs));
        Assert.Equal((0.1 - 0.1 - 0.5 + 0.1) / 6, vsAdam.AccuracyDifference, 12);
        Assert.Equal(0.5, vsAdam.SpeedupToTarget);
        Assert.Null(all[1].SpeedupToTarget);
        var holm = Statistics.Holm([vsAdam.WilcoxonP, all[1].WilcoxonP]);
        Assert.Equal(holm, all.Select(c => c.HolmP));
        Assert.Contains(("paired", "sgd", 10), seeds);
        Assert.Contains(("paired-accuracy", "adam", 10), seeds);
    }
}
