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

    /// <summary>Adam's moments after the given gradients, from zero (β = 0.9, 0.999, as g keeps them).</summary>
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
