using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Meta;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Randomness;
using Harness.Core.Runtime;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Meta;

[Collection("torch")]
public class MetaTrainerTests
{
    internal static readonly MetaTrainSettings Tiny = new(
        new LearnedOptimizerSettings(Hidden: 6, Inputs: [InputFeature.AdamGradient, InputFeature.Momenta],
            Output: OutputMode.AdamResidual, LearningRate: 0.02),
        F: new MlpArchitecture([2, 8, 1]), Epochs: 2, Horizon: 6, Truncation: 3, TasksPerStep: 2,
        MetaLearningRate: 0.01, MetaLoss: MetaLoss.LogRatio, ValidationTasks: 2, ValidationHorizonFactor: 2);

    internal static byte[] Weights(LearnedOptimizer g) =>
        g.Network.parameters().SelectMany(p => p.data<float>().ToArray()).SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Meta_training_is_bit_identical_for_the_same_seed_and_differs_for_another()
    {
        TorchRuntime.PinThreads(1);
        var tasks = TinyTasks.Make(6);
        var a = new MetaTrainer(Tiny, 11, CPU).Train(tasks, SilentProgress.Instance);
        var b = new MetaTrainer(Tiny, 11, CPU).Train(tasks, SilentProgress.Instance);
        var c = new MetaTrainer(Tiny, 12, CPU).Train(tasks, SilentProgress.Instance);
        Assert.Equal(Weights(a.Last), Weights(b.Last));
        Assert.Equal(Weights(a.Best), Weights(b.Best));
        Assert.NotEqual(Weights(a.Last), Weights(c.Last));
        Assert.Equal(2, a.Epochs.Count);
        Assert.Equal(2 /* epochs */ * 2 /* meta-steps: 4 tasks / 2 */ * 2 /* truncations */, a.MetaSteps);
        Assert.Equal(0, a.SkippedUpdates);
    }

    [Fact]
    public void The_meta_loss_is_measured_on_the_rows_asked_for()
    {
        TorchRuntime.PinThreads(1);
        var tasks = TinyTasks.Make(6);
        float[] Train(IReadOnlyList<SplitTask> on, MetaLossRows rows) =>
            new MetaTrainer(Tiny with { MetaLossRows = rows }, 11, CPU).Train(on, SilentProgress.Instance).Last
                .Network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        static double Distance(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));

        // Tasks whose held-out rows are their training rows: all three choices train the same g (up to the order in
        // which autograd sums the same terms, a few ulps).
        var same = tasks.Select(t => t with { TestFeatures = t.TrainFeatures, TestLabels = t.TrainLabels }).ToList();
        var onTrain = Train(same, MetaLossRows.Train);
        Assert.True(Distance(onTrain, Train(same, MetaLossRows.HeldOut)) < 1e-5);
        Assert.True(Distance(onTrain, Train(same, MetaLossRows.Both)) < 1e-5);
        // Real held-out rows change what g learns, and `both` is neither of the single choices.
        var train = Train(tasks, MetaLossRows.Train);
        var heldOut = Train(tasks, MetaLossRows.HeldOut);
        var both = Train(tasks, MetaLossRows.Both);
        Assert.True(Distance(train, heldOut) > 1e-4, $"held-out vs train: {Distance(train, heldOut):E2}");
        Assert.True(Distance(both, heldOut) > 1e-4 && Distance(both, train) > 1e-4);
    }

    [Fact]
    public void A_horizon_schedule_sets_each_epochs_unroll_length_and_repeats_its_last_entry()
    {
        TorchRuntime.PinThreads(1);
        var settings = Tiny with { Epochs = 3, HorizonSchedule = [3, 9] };
        Assert.Equal([3, 9, 9], Enumerable.Range(0, 3).Select(settings.HorizonOfEpoch));
        Assert.Equal(6, Tiny.HorizonOfEpoch(7));
        var result = new MetaTrainer(settings, 11, CPU).Train(TinyTasks.Make(6), SilentProgress.Instance);
        // 2 meta-steps per epoch (4 tasks / 2) × truncations of 3 steps: 1, then 3, then 3.
        Assert.Equal(2 * (1 + 3 + 3), result.MetaSteps);
    }

    [Theory]
    [InlineData(KeepBestBy.Horizon, 0.05, 2.4, 0.05)]
    [InlineData(KeepBestBy.BothHorizons, 0.05, 2.4, 0.3464)]
    [InlineData(KeepBestBy.BothHorizons, 0.13, double.NaN, double.PositiveInfinity)]
    [InlineData(KeepBestBy.MeanOfHorizons, 0.05, 2.4, 1.225)]
    [InlineData(KeepBestBy.MeanOfHorizons, 0.144, 0.0001, 0.07205)]
    [InlineData(KeepBestBy.MeanOfHorizons, 0.13, double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(KeepBestBy.MeanLogRatio, 0.13, 0.001, -4.5)]
    public void The_kept_g_is_scored_at_T_at_both_horizons_or_over_the_whole_run(KeepBestBy rule, double atT, double atLong, double expected)
    {
        Assert.Equal(expected, (Tiny with { KeepBestBy = rule }).ValidationScore(new(atT, atLong, -4.5)), 4);
    }

    [Fact]
    public void The_validation_mean_log_ratio_averages_log_L_t_over_L_0_over_every_step_and_task()
    {
        TorchRuntime.PinThreads(1);
        var tasks = TinyTasks.Make(3);
        var trainer = new MetaTrainer(Tiny with { ValidationHorizonFactor = 2 }, 11, CPU);
        var g = trainer.CreateOptimizer();
        var validated = trainer.Validate(g, tasks);

        int longHorizon = Tiny.Horizon * 2;
        var trace = ValidationByHand(g, tasks, longHorizon);
        double expected = Enumerable.Range(0, 3).Average(p =>
            Enumerable.Range(1, longHorizon).Average(t => Math.Log((double)trace.TrainLoss[p][t] / trace.TrainLoss[p][0])));

        Assert.Equal(expected, validated.MeanLogRatio, 9);
        Assert.True(validated.MeanLogRatio < 0, $"g starts as Adam and lowers the loss: {validated.MeanLogRatio}");
        Assert.Equal(trace.TrainLoss.Average(l => (double)l[Tiny.Horizon]), validated.AtHorizon, 6);
        Assert.Null(validated.GuardShare); // Tiny's g has no guard
    }

    [Fact]
    public void For_a_guarded_g_validation_reports_the_share_of_its_steps_the_guard_replaced()
    {
        TorchRuntime.PinThreads(1);
        var tasks = TinyTasks.Make(3);
        // A rate this large makes g's steps raise the loss often, so the deferred guard acts.
        var settings = Tiny with { ValidationHorizonFactor = 2, Optimizer = Tiny.Optimizer with { LearningRate = 0.5, Guard = StepGuard.DeferredAdamFallback } };
        var trainer = new MetaTrainer(settings, 11, CPU);
        var g = trainer.CreateOptimizer();
        var validated = trainer.Validate(g, tasks);

        int longHorizon = Tiny.Horizon * 2;
        var trace = ValidationByHand(g, tasks, longHorizon);
        double expected = Enumerable.Range(0, 3).Average(p => (double)trace.FellBack![p].Take(longHorizon).Count(f => f) / longHorizon);
        Assert.NotNull(validated.GuardShare);
        Assert.Equal(expected, validated.GuardShare!.Value, 12);
        Assert.True(expected > 0, "the guard never acted: the test would not tell a share from zero");
    }

    /// <summary>A trainer's validation run (seed 11), by hand: its validation inits, g as an optimizer for k·T steps.</summary>
    private static TrainingTrace ValidationByHand(LearnedOptimizer g, IReadOnlyList<SplitTask> tasks, int longHorizon)
    {
        using var batch = TaskBatch.Create(tasks, tasks.Select((_, k) => (k, 0)).ToList(), Tiny.ResolvedF,
            SeedDerivation.Derive(11, "validation-init"), CPU);
        return InnerLoop.Run(new LearnedOptimizerFactory("g", g), batch, new FunctionalMlp(Tiny.ResolvedF), longHorizon, []);
    }

    [Theory]
    [InlineData(new int[0], "horizon_schedule")]
    [InlineData(new[] { 6, 2 }, "horizon_schedule[1]")]
    public void A_bad_horizon_schedule_is_refused_with_its_key(int[] schedule, string key)
    {
        Assert.Contains((Tiny with { HorizonSchedule = schedule }).Validate(), e => e.Key == key);
    }

    [Fact]
    public void Meta_training_changes_g_and_keeps_it_finite()
    {
        TorchRuntime.PinThreads(1);
        var tasks = TinyTasks.Make(6);
        var trainer = new MetaTrainer(Tiny, 5, CPU);
        var untrained = Weights(trainer.CreateOptimizer());
        var result = trainer.Train(tasks, SilentProgress.Instance);
        Assert.NotEqual(untrained, Weights(result.Last));
        Assert.All(result.Last.Network.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
        Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.ValidationLossAtHorizon)));
    }

    [Fact]
    public void A_non_finite_meta_loss_skips_the_update_is_counted_and_never_reaches_g()
    {
        TorchRuntime.PinThreads(1);
        var tasks = TinyTasks.Make(4).Select(t => t with
        {
            TrainFeatures = t.TrainFeatures.Select((v, i) => i == 0 ? float.NaN : v).ToArray(), // every task poisoned
        }).ToList();
        var settings = Tiny with { Epochs = 1, ValidationTasks = 0 };
        var trainer = new MetaTrainer(settings, 5, CPU);
        var untrained = Weights(trainer.CreateOptimizer());
        var result = trainer.Train(tasks, SilentProgress.Instance);
        Assert.Equal(result.MetaSteps, result.SkippedUpdates);
        Assert.Equal(untrained, Weights(result.Last));
    }

    [Fact]
    public void The_inner_loop_marks_a_diverging_problem_and_keeps_its_numbers_finite()
    {
        var tasks = TinyTasks.Make(2);
        var f = new FunctionalMlp(new MlpArchitecture([2, 8, 1]));
        using var batch = TaskBatch.Create(tasks, [(0, 0), (1, 0)], f.Architecture, 3, CPU);
        var trace = InnerLoop.Run(new NaNAfter(2, problem: 1), batch, f, 5, [5]);
        Assert.False(trace.Diverged[0]);
        Assert.True(trace.Diverged[1]);
        Assert.Equal(3, trace.DivergedAtStep[1]);
        Assert.All(trace.TrainLoss.SelectMany(l => l), v => Assert.True(float.IsFinite(v)));
        Assert.All(trace.TestLogits[5][1], v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void An_interrupted_meta_training_resumed_from_its_checkpoint_is_bit_identical_to_an_uninterrupted_one()
    {
        TorchRuntime.PinThreads(1);
        var tasks = TinyTasks.Make(6);
        var settings = Tiny with { Epochs = 3 };
        var uninterrupted = new MetaTrainer(settings, 21, CPU).Train(tasks, SilentProgress.Instance);

        var folder = Path.Combine(Path.GetTempPath(), $"harness-resume-{Guid.NewGuid():N}");
        try
        {
            using var stop = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() => new MetaTrainer(settings, 21, CPU)
                .Train(tasks, SilentProgress.Instance, new StopAfterEpoch(1, stop), stop.Token, folder));
            Assert.Single(Directory.GetDirectories(folder, "epoch-*"));

            var resumed = new MetaTrainer(settings, 21, CPU).Train(tasks, SilentProgress.Instance, null, default, folder);
            Assert.Equal(Weights(uninterrupted.Last), Weights(resumed.Last));
            Assert.Equal(Weights(uninterrupted.Best), Weights(resumed.Best));
            Assert.Equal(uninterrupted.MetaSteps, resumed.MetaSteps);
            Assert.Equal(uninterrupted.Epochs.Select(e => e with { WallSeconds = 0 }), resumed.Epochs.Select(e => e with { WallSeconds = 0 }));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    /// <summary>Asks training to stop once a given epoch has finished (like Ctrl+C arriving then).</summary>
    private sealed class StopAfterEpoch(int epoch, CancellationTokenSource stop) : IMetaTrainingObserver
    {
        public void OnMetaStep(int globalStep, double metaLoss, bool skipped) { }
        public void OnEpoch(MetaEpochRecord record)
        {
            if (record.Epoch == epoch) stop.Cancel();
        }
    }

    /// <summary>Plain gradient descent that returns NaN for one problem from a given step on.</summary>
    private sealed class NaNAfter(int steps, int problem) : IFlatOptimizerFactory, IFlatOptimizer
    {
        private int _step;
        public string Name => "nan";
        public IFlatOptimizer Create(int batch, int parameters, Device device) => this;

        public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
        {
            var next = theta.detach().sub(gradient.mul(0.1));
            if (++_step > steps) next[problem] = full_like(next[problem], float.NaN);
            return next;
        }

        public void Dispose() { }
    }

    /// <summary>Counts live tensors at every meta-step (one per truncation).</summary>
    private sealed class LiveTensors : IMetaTrainingObserver
    {
        public List<long> AtMetaStep { get; } = [];
        public void OnMetaStep(int globalStep, double metaLoss, bool skipped) => AtMetaStep.Add(Tensor.TotalCount);
        public void OnEpoch(MetaEpochRecord record) { }
    }

    [Fact]
    public void Memory_stays_flat_in_the_horizon_each_truncation_releases_the_last_ones_theta_and_state()
    {
        TorchRuntime.PinThreads(1);
        var live = new LiveTensors();
        // One unroll of 40 truncations: before the fix every truncation's θ and g state lived until the unroll ended.
        new MetaTrainer(Tiny with { Epochs = 1, Horizon = 80, Truncation = 2, TasksPerStep = 4 }, 11, CPU)
            .Train(TinyTasks.Make(6), SilentProgress.Instance, live);
        Assert.True(live.AtMetaStep.Count >= 40, $"{live.AtMetaStep.Count} meta-steps");
        var firstUnroll = live.AtMetaStep.Take(40).ToList();
        Assert.True(firstUnroll[^1] <= firstUnroll[1], $"live tensors grew along the unroll: {string.Join(", ", firstUnroll)}");
    }
}
