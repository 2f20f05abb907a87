using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Learned;

/// <summary>
/// g's guard checked a step late (<see cref="LearnedVariant.DeferredGuard"/>): it never evaluates f itself, takes g's
/// steps while the loss does not rise, and undoes a step whose loss rose, trying Adam's step from where it left.
/// </summary>
[Collection("torch")]
public class DeferredGuardTests
{
    private const double Rate = 0.03;
    private static readonly MlpArchitecture Small = new([2, 6, 1]);

    private static LearnedOptimizer Guarded() =>
        new(new GruOptimizerNetwork(new LearnedOptimizerSettings(Hidden: 4, LearningRate: Rate, Guard: StepGuard.AdamFallback), 7), Small);

    /// <summary>The same g (same weights) whose declared guard is the deferred one.</summary>
    private static LearnedOptimizer DeferredG() =>
        new(new GruOptimizerNetwork(new LearnedOptimizerSettings(Hidden: 4, LearningRate: Rate, Guard: StepGuard.DeferredAdamFallback), 7), Small);

    /// <summary>An objective the deferred guard must never ask.</summary>
    private sealed class NeverAsked : IObjective
    {
        public Tensor Loss(Tensor theta) => throw new InvalidOperationException("the deferred guard evaluated f");
        public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => throw new InvalidOperationException("the deferred guard evaluated f");
        public Tensor ParticleLoss(Tensor particles) => throw new NotSupportedException();
    }

    /// <summary>One g (two problems) as the deferred guard runs it and as it runs unguarded.</summary>
    private static (IFlatOptimizer Deferred, IFlatOptimizer Unguarded) DeferredAndUnguarded()
    {
        var g = Guarded();
        return (new LearnedOptimizerFactory("d", g, LearnedVariant.DeferredGuard).Create(2, Small.ParameterCount, CPU),
            new LearnedOptimizerFactory("u", g, LearnedVariant.WithoutGuard).Create(2, Small.ParameterCount, CPU));
    }

    private static Tensor Gradient(int step) => randn(2, Small.ParameterCount, generator: new Generator((ulong)(20 + step)));

    [Fact]
    public void While_the_loss_does_not_rise_it_takes_gs_own_steps_bit_for_bit_and_never_evaluates_f()
    {
        using var scope = NewDisposeScope();
        int p = Small.ParameterCount;
        var (deferred, unguarded) = DeferredAndUnguarded();
        using var _ = deferred;
        using var __ = unguarded;
        Tensor a = randn(2, p, generator: new Generator(3)), b = a;
        for (int step = 0; step < 4; step++)
        {
            var loss = tensor(new float[] { 1f - 0.1f * step, 1f }); // problem 1's loss stays: equal is not a rise
            a = deferred.Step(a, loss, Gradient(step), new NeverAsked());
            b = unguarded.Step(b, loss, Gradient(step), new NeverAsked());
            Assert.Equal([false, false], ((IReportsFallbacks)deferred).LastStepFellBack!);
        }
        Assert.True(a.equal(b).all().item<bool>());
    }

    [Fact]
    public void A_step_whose_loss_rose_is_undone_and_replaced_by_adams_step_from_where_it_left_with_that_problems_state_kept()
    {
        using var scope = NewDisposeScope();
        int p = Small.ParameterCount;
        var (deferred, unguarded) = DeferredAndUnguarded();
        using var _ = deferred;
        using var __ = unguarded;
        var theta0 = randn(2, p, generator: new Generator(3));
        var never = new NeverAsked();

        var theta1 = deferred.Step(theta0, tensor(new float[] { 1, 1 }), Gradient(0), never);
        Assert.True(theta1.equal(unguarded.Step(theta0, tensor(new float[] { 1, 1 }), Gradient(0), never)).all().item<bool>());

        // Problem 0's step raised its loss (1 → 2): it goes back to θ0 and takes Adam's first step there (moments of
        // gradient 0 alone, step 1). Problem 1's loss fell: g's second step, as unguarded g takes it.
        var theta2 = deferred.Step(theta1, tensor(new float[] { 2, 0.5f }), Gradient(1), never);
        Assert.Equal([true, false], ((IReportsFallbacks)deferred).LastStepFellBack!);
        var adamFirst = theta0[0].add(AdamStep(Moments([Gradient(0)[0]]), 1));
        Assert.True(theta2[0].allclose(adamFirst, rtol: 1e-5, atol: 1e-7));
        var gSecond = unguarded.Step(theta1, tensor(new float[] { 2, 0.5f }), Gradient(1), never);
        Assert.True(theta2[1].equal(gSecond[1]).all().item<bool>());

        // Both rise now. Problem 0's Adam trial failed: from θ0 again at half the scale, its moments still those of
        // gradient 0 alone (gradient 1, taken at the undone point, never entered them). Problem 1's g step from θ1
        // failed: back to θ1 and Adam's step there, with the moments of gradients 0 and 1 (the immediate guard's
        // fallback at θ1) at full scale. The step count is shared: 2 for both.
        var theta3 = deferred.Step(theta2, tensor(new float[] { 3, 0.9f }), Gradient(2), never);
        Assert.Equal([true, true], ((IReportsFallbacks)deferred).LastStepFellBack!);
        Assert.True(theta3[0].allclose(theta0[0].add(AdamStep(Moments([Gradient(0)[0]]), 2).mul(0.5)), rtol: 1e-5, atol: 1e-7));
        Assert.True(theta3[1].allclose(theta1[1].add(AdamStep(Moments([Gradient(0)[1], Gradient(1)[1]]), 2)), rtol: 1e-5, atol: 1e-7));

        // A non-finite loss is a rise too: problem 1 goes back to θ1 again, at half its scale. Problem 0's trial passed.
        var theta4 = deferred.Step(theta3, tensor(new float[] { 0.1f, float.NaN }), Gradient(3), never);
        Assert.Equal([false, true], ((IReportsFallbacks)deferred).LastStepFellBack!);
        Assert.True(theta4[1].allclose(theta1[1].add(AdamStep(Moments([Gradient(0)[1], Gradient(1)[1]]), 3).mul(0.5)), rtol: 1e-5, atol: 1e-7));
        Assert.True(theta4.isfinite().all().item<bool>());
    }

    [Fact]
    public void A_g_whose_declared_guard_is_deferred_runs_it_as_trained_bit_for_bit_as_the_deferred_control_and_reads_at_its_accepted_point()
    {
        using var scope = NewDisposeScope();
        int p = Small.ParameterCount;
        var own = DeferredG();
        using var asTrained = new LearnedOptimizerFactory("g", own).Create(2, p, CPU);
        using var control = new LearnedOptimizerFactory("d", Guarded(), LearnedVariant.DeferredGuard).Create(2, p, CPU);
        Tensor a = randn(2, p, generator: new Generator(3)), b = a;
        var losses = new[] { new[] { 1f, 1f }, new[] { 2f, 0.5f }, new[] { 3f, 0.9f }, new[] { 0.1f, float.NaN }, new[] { 0.05f, 0.4f } };
        for (int step = 0; step < losses.Length; step++)
        {
            a = asTrained.Step(a, tensor(losses[step]), Gradient(step), new NeverAsked());
            b = control.Step(b, tensor(losses[step]), Gradient(step), new NeverAsked());
            Assert.Equal(((IReportsFallbacks)control).LastStepFellBack!, ((IReportsFallbacks)asTrained).LastStepFellBack!);
        }
        Assert.True(a.equal(b).all().item<bool>());
        var accepted = ((IReadsAtAcceptedPoint)asTrained).AcceptedPoint;
        Assert.NotNull(accepted);
        Assert.True(accepted!.equal(((IReadsAtAcceptedPoint)control).AcceptedPoint!).all().item<bool>());
    }

    /// <summary>f(θ) = Σ θ² per problem, counting how often it is evaluated.</summary>
    private sealed class CountedSquare : IObjective
    {
        public int Evaluations { get; private set; }
        public Tensor Loss(Tensor theta) { Evaluations++; return theta.square().sum(1); }
        public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => (Loss(theta), theta.mul(2));
        public Tensor ParticleLoss(Tensor particles) => throw new NotSupportedException();
    }

    [Fact]
    public void With_minibatches_a_g_whose_guard_is_deferred_guards_immediately_bit_for_bit_as_adam_fallback()
    {
        using var scope = NewDisposeScope();
        int p = Small.ParameterCount;
        var own = DeferredG();
        using var minibatched = new LearnedOptimizerFactory("g", own, FullBatch: false).Create(2, p, CPU);
        using var immediate = new LearnedOptimizerFactory("i", Guarded()).Create(2, p, CPU);
        CountedSquare onA = new(), onB = new();
        Tensor a = randn(2, p, generator: new Generator(3)).mul(3), b = a;
        for (int step = 0; step < 5; step++)
        {
            var (lossA, gradientA) = new CountedSquare().LossAndGradient(a);
            var (lossB, gradientB) = new CountedSquare().LossAndGradient(b);
            a = minibatched.Step(a, lossA, gradientA, onA);
            b = immediate.Step(b, lossB, gradientB, onB);
        }
        Assert.True(a.equal(b).all().item<bool>());
        Assert.Equal(onB.Evaluations, onA.Evaluations);
        Assert.True(onA.Evaluations >= 5, $"{onA.Evaluations} checks in 5 steps");
        Assert.Null(((IReadsAtAcceptedPoint)minibatched).AcceptedPoint);
        Assert.Throws<ArgumentException>(() => new LearnedOptimizerFactory("d", own, LearnedVariant.DeferredGuard, FullBatch: false).Create(2, p, CPU));
    }

    [Fact]
    public void Under_a_deferred_guard_the_adam_control_takes_adams_steps_unchecked_and_undoes_one_whose_loss_rose()
    {
        using var scope = NewDisposeScope();
        int p = Small.ParameterCount;
        var own = DeferredG();
        using var adam = new LearnedOptimizerFactory("a", own, LearnedVariant.AdamWithGuard).Create(2, p, CPU);
        var never = new NeverAsked();
        var theta0 = randn(2, p, generator: new Generator(3));

        var theta1 = adam.Step(theta0, tensor(new float[] { 1, 1 }), Gradient(0), never);
        Assert.True(theta1.allclose(theta0.add(AdamStep(Moments([Gradient(0)]), 1)), rtol: 1e-5, atol: 1e-7));
        var theta2 = adam.Step(theta1, tensor(new float[] { 0.5f, 0.5f }), Gradient(1), never);
        Assert.Equal([false, false], ((IReportsFallbacks)adam).LastStepFellBack!);
        Assert.True(theta2.allclose(theta1.add(AdamStep(Moments([Gradient(0), Gradient(1)]), 2)), rtol: 1e-5, atol: 1e-7));

        // Problem 0's loss rose: back to θ1, Adam's step there again (gradient 2, taken at the undone point, never
        // enters the moments); problem 1 goes on from θ2.
        var theta3 = adam.Step(theta2, tensor(new float[] { 0.7f, 0.4f }), Gradient(2), never);
        Assert.Equal([true, false], ((IReportsFallbacks)adam).LastStepFellBack!);
        var expected = AdamStep(Moments([Gradient(0), Gradient(1)]), 2);
        Assert.True(theta3[0].allclose(theta1[0].add(expected[0]), rtol: 1e-5, atol: 1e-7));
        Assert.True(theta3[1].allclose(theta2[1].add(AdamStep(Moments([Gradient(0), Gradient(1), Gradient(2)]), 3)[1]), rtol: 1e-5, atol: 1e-7));
    }

    /// <summary>Adam's moments after the given gradients ([P] or [2, P]), from zero (β = 0.9, 0.999, as g keeps them).</summary>
    private static (Tensor M, Tensor V) Moments(IEnumerable<Tensor> gradients)
    {
        Tensor m = zeros(Small.ParameterCount), v = zeros(Small.ParameterCount);
        foreach (var gradient in gradients)
        {
            m = m.mul(0.9).add(gradient, alpha: 0.1);
            v = v.mul(0.999).addcmul(gradient, gradient, value: 0.001);
        }
        return (m, v);
    }

    private static Tensor AdamStep((Tensor M, Tensor V) moments, int step) =>
        Adam.Direction(moments.M, moments.V, step, 0.9, 0.999, 1e-8).mul(-Rate);
}
