using Harness.Core.Evaluation;

namespace Harness.Tests.Unit.Evaluation;

public class MinibatchSamplerTests
{
    private static MinibatchSampler Of(params (int, int)[] problems) => new(10, 3, 42, problems);

    [Fact]
    public void Each_epoch_visits_rows_without_replacement_and_batches_keep_their_size()
    {
        var sampler = Of((0, 0));
        // 10 rows, batch 3: 3 steps per epoch, the 10th row of each epoch left out.
        var epoch0 = Enumerable.Range(0, 3).SelectMany(s => sampler.Rows(s)).ToList();
        Assert.Equal(9, epoch0.Distinct().Count());
        Assert.All(epoch0, r => Assert.InRange(r, 0, 9));
        var epoch1 = Enumerable.Range(3, 3).SelectMany(s => sampler.Rows(s)).ToList();
        Assert.Equal(9, epoch1.Distinct().Count());
        Assert.NotEqual(epoch0, epoch1); // a fresh permutation per epoch
    }

    [Fact]
    public void The_same_task_and_init_get_the_same_draws_wherever_they_sit_in_a_batch()
    {
        var alone = Of((7, 1));
        var among = Of((3, 0), (7, 1));
        for (int step = 0; step < 8; step++)
            Assert.Equal(alone.Rows(step), among.Rows(step)[3..]);
        // Another init of the same task draws differently.
        Assert.NotEqual(Of((7, 0)).Rows(0), Of((7, 1)).Rows(0));
    }

    [Fact]
    public void Draws_follow_the_seed()
    {
        Assert.Equal(new MinibatchSampler(10, 3, 1, [(0, 0)]).Rows(4), new MinibatchSampler(10, 3, 1, [(0, 0)]).Rows(4));
        Assert.NotEqual(new MinibatchSampler(10, 3, 1, [(0, 0)]).Rows(0), new MinibatchSampler(10, 3, 2, [(0, 0)]).Rows(0));
    }

    [Fact]
    public void A_batch_larger_than_the_rows_is_the_full_set()
    {
        var sampler = new MinibatchSampler(4, 100, 1, [(0, 0)]);
        Assert.Equal(4, sampler.BatchSize);
        Assert.Equal([0L, 1, 2, 3], sampler.Rows(0).Order());
    }

    [Fact]
    public void Curves_keep_every_kth_step_and_the_horizon()
    {
        Assert.Equal([0, 4, 8, 10], new TrainingRegime(CurveEvery: 4).CurveSteps(10));
        Assert.Equal(11, TrainingRegime.FullBatch.CurveSteps(10).Count());
        Assert.Contains(new TrainingRegime(BatchSize: 0).Validate(), p => p.Key == "batch_size");
        Assert.Contains(new TrainingRegime(CurveEvery: 0).Validate(), p => p.Key == "curve_every");
    }
}
