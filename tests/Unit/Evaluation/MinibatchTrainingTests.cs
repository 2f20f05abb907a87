using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Evaluation;

/// <summary>InnerLoop with minibatches: common random numbers across optimizers, guard_on, and the evaluation count.</summary>
[Collection("torch")]
public class MinibatchTrainingTests
{
    private static readonly MlpArchitecture Small = new([2, 6, 1]);

    /// <summary>Takes SGD steps and records each step's gradient and what the step's check objective says at θ.</summary>
    private sealed class Recorder(double rate) : IFlatOptimizerFactory, IFlatOptimizer
    {
        public readonly List<float[]> Gradients = [];
        public readonly List<float[]> CheckLosses = [];
        public string Name => "recorder";
        public IFlatOptimizer Create(int batch, int parameters, Device device) => this;

        public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
        {
            Gradients.Add(gradient.data<float>().ToArray());
            CheckLosses.Add(objective.Loss(theta).detach().data<float>().ToArray());
            return theta.sub(gradient.mul(rate)).detach();
        }

        public void Dispose() { }
    }

    private static (TrainingTrace Trace, Recorder Recorder) Run(TrainingRegime regime, ulong seed = 9, int steps = 6)
    {
        var tasks = TinyTasks.Make(2);
        using var batch = TaskBatch.Create(tasks, [(0, 0), (1, 0)], Small, 3, CPU);
        var recorder = new Recorder(0.1);
        var trace = InnerLoop.Run(recorder, batch, new FunctionalMlp(Small), steps, [steps], regime: regime, minibatchSeed: seed);
        return (trace, recorder);
    }

    [Fact]
    public void Every_optimizer_sees_the_same_minibatches_and_steps_differ_from_full_batch()
    {
        var regime = new TrainingRegime(BatchSize: 8);
        var (_, a) = Run(regime);
        var (_, b) = Run(regime);
        Assert.Equal(a.Gradients, b.Gradients);
        var (_, other) = Run(regime, seed: 10);
        Assert.NotEqual(a.Gradients[0], other.Gradients[0]);
        var (_, fullBatch) = Run(TrainingRegime.FullBatch);
        Assert.NotEqual(a.Gradients[0], fullBatch.Gradients[0]);
    }

    [Fact]
    public void The_recorded_loss_is_over_all_training_rows_and_guard_on_names_the_check_data()
    {
        var (onMinibatch, mb) = Run(new TrainingRegime(BatchSize: 8, GuardOn: GuardOn.Minibatch));
        var (onFull, full) = Run(new TrainingRegime(BatchSize: 8, GuardOn: GuardOn.Full));
        // Same draws, same steps: the same θ path; only what the checks evaluate on differs.
        Assert.Equal(onMinibatch.TrainLoss, onFull.TrainLoss);
        for (int step = 0; step < 6; step++)
        {
            Assert.Equal(onFull.TrainLoss[0][step], full.CheckLosses[step][0], 5);
            Assert.NotEqual(onMinibatch.TrainLoss[0][step], mb.CheckLosses[step][0]);
        }
    }

    [Fact]
    public void Evaluations_count_the_optimizers_own_passes()
    {
        var (plain, _) = Run(TrainingRegime.FullBatch);
        Assert.Equal((6L + 6, 6L), (plain.SpentBy(0, 6).Forward, plain.SpentBy(0, 6).Backward)); // a gradient and one check loss per step

        var tasks = TinyTasks.Make(2);
        using var batch = TaskBatch.Create(tasks, [(0, 0), (1, 0)], Small, 3, CPU);
        var sgd = InnerLoop.Run(BaselineOptimizers.Create("sgd", [0.1]), batch, new FunctionalMlp(Small), 5, [5]);
        Assert.All([0, 1], p => Assert.Equal((5L, 5L), (sgd.SpentBy(p, 5).Forward, sgd.SpentBy(p, 5).Backward)));
        Assert.Equal([0L, 1, 2, 3, 4, 5], sgd.ForwardSpent![0]);
        var guarded = InnerLoop.Run(BaselineOptimizers.Create("guarded-adam", [0.1]), batch, new FunctionalMlp(Small), 5, [5]);
        Assert.Equal(10, guarded.SpentBy(0, 5).Forward); // its gradient and one check per step
    }
}
