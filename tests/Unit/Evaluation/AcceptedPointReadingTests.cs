using Harness.Core.Evaluation;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Evaluation;

/// <summary>An optimizer with an unjudged trial (g's deferred guard) is read at its last accepted point.</summary>
[Collection("torch")]
public class AcceptedPointReadingTests
{
    /// <summary>Tries ever wilder points (the third overflows f's loss) and never accepts one: its answer stays θ0.</summary>
    private sealed class NeverAccepts : IFlatOptimizer, IReadsAtAcceptedPoint
    {
        private int _steps;
        public Tensor? AcceptedPoint { get; private set; }

        public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
        {
            AcceptedPoint ??= theta.detach().clone().MoveToOuterDisposeScope();
            _steps++;
            return AcceptedPoint.add(_steps == 3 ? 1e30 : 10.0 * _steps);
        }

        public void Dispose() => AcceptedPoint?.Dispose();
    }

    private sealed record Factory(Func<IFlatOptimizer> Make) : IFlatOptimizerFactory
    {
        public string Name => "never-accepts";
        public IFlatOptimizer Create(int batch, int parameters, Device device) => Make();
    }

    [Fact]
    public void Its_loss_test_logits_and_final_theta_are_those_of_the_accepted_point_and_a_non_finite_trial_is_no_divergence()
    {
        using var scope = NewDisposeScope();
        var small = new MlpArchitecture([2, 6, 1]);
        using var batch = TaskBatch.Create(TinyTasks.Make(2), [(0, 0), (1, 0)], small, 3, CPU);
        var f = new FunctionalMlp(small);
        var trace = InnerLoop.Run(new Factory(() => new NeverAccepts()), batch, f, 5, [0, 5], budget: Budget.Evaluations, budgets: [5]);

        for (int p = 0; p < 2; p++)
        {
            Assert.All(trace.TrainLoss[p], loss => Assert.Equal(trace.TrainLoss[p][0], loss));
            Assert.Equal(batch.Theta0[p].data<float>().ToArray(), trace.FinalTheta[p]);
            Assert.Equal(trace.TestLogits[0][p], trace.TestLogits[5][p]);
            Assert.Equal(5, trace.ReadStep(p, 5));
        }
        Assert.Equal([false, false], trace.Diverged);

        // The same trials read where they are: wild losses, and the overflowing one a divergence.
        var asTried = InnerLoop.Run(new Factory(() => new TriesOnly()), batch, f, 5, [0, 5]);
        Assert.True(asTried.TrainLoss[0][1] > 10 * trace.TrainLoss[0][1]);
        Assert.Equal([true, true], asTried.Diverged);
    }

    /// <summary>The same trials from an optimizer that does not say where to read it.</summary>
    private sealed class TriesOnly : IFlatOptimizer
    {
        private readonly NeverAccepts _inner = new();
        public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective) => _inner.Step(theta, loss, gradient, objective);
        public void Dispose() => _inner.Dispose();
    }
}
