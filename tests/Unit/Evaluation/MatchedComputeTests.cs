using Harness.Core.Evaluation;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Evaluation;

/// <summary>Reading optimizers at matched cost: budget reads, speedup over Adam on hand-made curves, IQM and its CI.</summary>
[Collection("torch")]
public class MatchedComputeTests
{
    [Fact]
    public void The_interquartile_mean_drops_a_quarter_from_each_end_and_its_ci_holds_it()
    {
        Assert.Equal(4.5, Statistics.InterquartileMean([8, 1, 2, 3, 4, 5, 6, 7]), 12); // mean of 3, 4, 5, 6
        Assert.Equal(2.0, Statistics.InterquartileMean([1, 2, 3]), 12);                 // ⌊3/4⌋ = 0 dropped
        Assert.Equal(3.0, Statistics.InterquartileMean([100, 3, 3, -100]), 12);
        var values = Enumerable.Range(1, 40).Select(i => (double)i).Append(1e6).ToList();
        var (low, high) = Statistics.BootstrapIqmCi(values, seed: 5, resamples: 500);
        double iqm = Statistics.InterquartileMean(values);
        Assert.InRange(iqm, low, high);
        Assert.True(high < 100, "one outlying task does not drag the IQM's CI");
        Assert.Equal((low, high), Statistics.BootstrapIqmCi(values, seed: 5, resamples: 500));
    }

    private static TrainingTrace Trace(float[][] losses, long[][]? forward = null) =>
        new(losses, new Dictionary<int, float[][]>(), new bool[losses.Length], Enumerable.Repeat(-1, losses.Length).ToArray(), 0,
            losses.Select(_ => new float[1]).ToArray(), ForwardSpent: forward,
            BackwardSpent: forward, SecondsSpent: new double[losses[0].Length]);

    [Fact]
    public void Speedup_is_the_cost_Adam_needs_to_reach_gs_loss_over_gs_cost_and_is_censored_when_never_reached()
    {
        // g: two problems over 4 steps, 2 forward passes per step (a guarded step).
        var g = Trace([[1, 0.8f, 0.5f, 0.4f, 0.3f], [1, 0.9f, 0.9f, 0.9f, 0.9f]],
            [[0, 2, 4, 6, 8], [0, 2, 4, 6, 8]]);
        // Adam over 8 steps, 1 per step; problem 0 never gets to 0.3, and its curve is not monotone (the envelope is).
        var adam = Trace([[1, 0.9f, 0.7f, 0.95f, 0.6f, 0.5f, 0.45f, 0.4f, 0.35f], [1, 0.95f, 0.85f, 0.99f, 0.8f, 0.8f, 0.8f, 0.8f, 0.8f]],
            [Enumerable.Range(0, 9).Select(i => (long)i).ToArray(), Enumerable.Range(0, 9).Select(i => (long)i).ToArray()]);
        var speedups = Speedups.AtHorizon(4, g, adam, [(0, 0), (1, 0)], [10, 11], Budget.Steps);
        Assert.True(speedups[0].Censored);
        Assert.Null(speedups[0].AdamStepsToReach);
        Assert.Equal(8.0 / 4, speedups[0].Steps, 12);       // at least Adam's whole run ÷ g's 4 steps
        Assert.Equal(8.0 / 8, speedups[0].Evaluations, 12);  // ÷ g's 8 forward passes
        Assert.False(speedups[1].Censored);
        Assert.Equal(2, speedups[1].AdamStepsToReach);      // 0.85 ≤ 0.9 at step 2
        Assert.Equal((2.0 / 4, 2.0 / 8), (speedups[1].Steps, speedups[1].Evaluations));
        Assert.Equal(10, speedups[0].Task);
        Assert.Equal([1, 0.9, 0.7, 0.7, 0.6], Speedups.Envelope([1, 0.9f, 0.7f, 0.95f, 0.6f]).Select(v => Math.Round(v, 6)));
        Assert.Equal(0, Speedups.StepsToReach([1, 0.5], double.PositiveInfinity)); // a diverged g: Adam is there at once

        var summary = Speedups.Summarize(4, "steps", speedups, s => s.Steps, 1, 200);
        Assert.Equal((2, 1, 1.25), (summary.Problems, summary.Censored, summary.Iqm));
        var curve = Speedups.Curve(4, g, adam, [0, 2, 4]).ToList();
        Assert.Equal([2, 4], curve.Select(c => c.Step));
        Assert.Equal((5.0 / 2 + 2.0 / 2) / 2, curve[0].Iqm, 12); // g's 0.5 at step 2: Adam reaches it at 5; g's 0.9: at 2
    }

    [Fact]
    public void Under_an_evaluation_budget_each_problem_is_read_at_the_last_step_it_could_afford()
    {
        var reader = new BudgetReader(Budget.Evaluations, [5, 2], problems: 2);
        int logitCalls = 0;
        float[][] Logits(int step) { logitCalls++; return [[step], [step + 100]]; }
        // Problem 0 spends 2 per step, problem 1 spends 1 per step.
        for (int step = 0; step < 6; step++)
        {
            int s = step;
            reader.ReadWhereOverspent(step, p => p == 0 ? 2 * (s + 1) : s + 1, () => Logits(s));
        }
        reader.ReadRest(6, () => Logits(6));
        var reads = reader.Result();
        Assert.Equal([1, 2], reads[2].Step); // after 1 step problem 0 has spent 2; a second would be 4 > 2
        Assert.Equal([2, 5], reads[5].Step);
        Assert.Equal(105f, reads[5].Logits[1][0]);
        Assert.True(reader.Done(0) && reader.Done(1));
        Assert.Throws<ArgumentException>(() => new BudgetReader(Budget.Steps, [1], 1));
    }

    [Fact]
    public void A_real_run_under_an_evaluation_budget_gives_a_guarded_optimizer_fewer_steps_and_keeps_the_step_view()
    {
        using var scope = NewDisposeScope();
        var small = new MlpArchitecture([2, 6, 1]);
        var tasks = TinyTasks.Make(2);
        using var batch = TaskBatch.Create(tasks, [(0, 0), (1, 0)], small, 3, CPU);
        var f = new FunctionalMlp(small);
        var adam = InnerLoop.Run(BaselineOptimizers.Create("adam", [0.01]), batch, f, 8, [8], budget: Budget.Evaluations, budgets: [8]);
        var guarded = InnerLoop.Run(BaselineOptimizers.Create("guarded-adam", [0.01]), batch, f, 8, [8], budget: Budget.Evaluations, budgets: [8]);
        Assert.Equal([8, 8], new[] { adam.ReadStep(0, 8), adam.ReadStep(1, 8) }); // one forward pass per step
        Assert.Equal([4, 4], new[] { guarded.ReadStep(0, 8), guarded.ReadStep(1, 8) }); // two per step
        Assert.Equal(8, guarded.ReadStep(0, 8, Budget.Steps));
        Assert.Equal(guarded.TrainLoss[0][4], guarded.LossAt(0, 8));
        Assert.Equal(guarded.TrainLoss[0][8], guarded.LossAt(0, 8, Budget.Steps));
        Assert.Equal(8, guarded.SpentBy(0, guarded.ReadStep(0, 8)).Forward);
        Assert.True(guarded.SecondsSpent![8] > 0);

        // Stopping once spent: the run ends after 4 steps, and its record keeps the last θ's loss to the declared length.
        var stopped = InnerLoop.Run(BaselineOptimizers.Create("guarded-adam", [0.01]), batch, f, 8, [8], budget: Budget.Evaluations, budgets: [8],
            stopWhenSpent: true);
        Assert.Equal(4, stopped.ReadStep(0, 8));
        Assert.Equal(guarded.TrainLoss[0][..5], stopped.TrainLoss[0][..5]);
        Assert.All(stopped.TrainLoss[0][5..], loss => Assert.Equal(stopped.TrainLoss[0][4], loss));
        Assert.Equal(8, stopped.SpentBy(0, stopped.ReadStep(0, 8)).Forward);
        Assert.Equal(10, stopped.SpentBy(0, 8).Forward); // the step that overspent was taken, then undone: it is not read
    }
}
