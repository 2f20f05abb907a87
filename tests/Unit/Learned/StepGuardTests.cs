using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Learned;

/// <summary>g's Adam-fallback guard: g's step stands only where it does not raise the loss beyond the tolerance.</summary>
[Collection("torch")]
public class StepGuardTests
{
    private static readonly MlpArchitecture Small = new([2, 6, 1]);

    /// <summary>An objective that answers its k-th loss query with the k-th array (the guard asks: g's step, then Adam's).</summary>
    private sealed class ScriptedLoss(params float[][] answers) : IObjective
    {
        private int _calls;
        public Tensor Loss(Tensor theta) => tensor(answers[Math.Min(_calls++, answers.Length - 1)]);
        public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => throw new NotSupportedException();
        public Tensor ParticleLoss(Tensor particles) => throw new NotSupportedException();
    }

    private static LearnedOptimizer Make(StepGuard guard, double tolerance = 0, double outputScale = 0.5) =>
        new(new GruOptimizerNetwork(new LearnedOptimizerSettings(Hidden: 4, OutputScale: outputScale, LearningRate: 0.03,
            Guard: guard, GuardTolerance: tolerance), 7), Small);

    /// <summary>θ after one step of g (guarded or not) and of Adam at g's rate, from the same θ and gradient.</summary>
    private static (Tensor Theta, Tensor Guarded, Tensor Plain, Tensor Adam, bool[] FellBack) OneStep(float[] gLosses, float[] adamLosses, float currentLoss, double tolerance = 0)
    {
        int p = Small.ParameterCount, b = gLosses.Length;
        var theta = randn(b, p, generator: new Generator(11));
        var gradient = randn(b, p, generator: new Generator(12));
        var loss = full(b, currentLoss);
        using var guarded = new LearnedOptimizerFactory("g", Make(StepGuard.AdamFallback, tolerance)).Create(b, p, CPU);
        using var plain = new LearnedOptimizerFactory("g", Make(StepGuard.None)).Create(b, p, CPU);
        using var adam = new AdamFactory([0.03]).Create(b, p, CPU);
        return (theta, guarded.Step(theta, loss, gradient, new ScriptedLoss(gLosses, adamLosses)), plain.Step(theta, loss, gradient, null!),
            adam.Step(theta, loss, gradient, null!), ((IReportsFallbacks)guarded).LastStepFellBack!);
    }

    [Fact]
    public void Where_g_would_raise_the_loss_that_problem_takes_Adams_step_and_the_others_keep_gs()
    {
        using var scope = NewDisposeScope();
        var (theta, guarded, plain, adam, fellBack) = OneStep(
            gLosses: [0.5f, 2.0f, float.NaN, 1.0f, 3.0f],
            adamLosses: [9f, 0.9f, 0.9f, 9f, float.PositiveInfinity], currentLoss: 1.0f);
        Assert.Equal([false, true, true, false, true], fellBack);
        Assert.False(plain[1].allclose(adam[1], rtol: 1e-3, atol: 1e-4), "the test needs g's step to differ from Adam's");
        Assert.True(guarded[0].eq(plain[0]).all().item<bool>(), "a step that lowers the loss is g's");
        Assert.True(guarded[3].eq(plain[3]).all().item<bool>(), "a step that keeps the loss equal is g's (tolerance 0)");
        Assert.True(guarded[1].allclose(adam[1], rtol: 1e-6, atol: 1e-7), "a step that raises the loss is Adam's");
        Assert.True(guarded[2].allclose(adam[2], rtol: 1e-6, atol: 1e-7), "a step to a non-finite loss is Adam's");
        Assert.True(guarded[4].eq(theta[4]).all().item<bool>(), "where Adam's step fails too, θ stays");
    }

    [Fact]
    public void The_tolerance_lets_g_raise_the_loss_by_that_fraction()
    {
        using var scope = NewDisposeScope();
        var (_, guarded, plain, _, fellBack) = OneStep([1.09f, 1.11f], [0.5f, 0.5f], currentLoss: 1.0f, tolerance: 0.1);
        Assert.Equal([false, true], fellBack);
        Assert.True(guarded[0].eq(plain[0]).all().item<bool>());
        Assert.False(guarded[1].eq(plain[1]).all().item<bool>());
    }

    /// <summary>An objective that accepts only steps of at most <paramref name="radius"/> per coordinate from Center.</summary>
    private sealed class TrustBox(double radius) : IObjective
    {
        public Tensor Center { get; set; } = null!;
        public Tensor Loss(Tensor theta) => where(theta.sub(Center).abs().amax([1]).gt(radius), full(theta.shape[0], 10f), full(theta.shape[0], 0.5f));
        public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => throw new NotSupportedException();
        public Tensor ParticleLoss(Tensor particles) => throw new NotSupportedException();
    }

    [Fact]
    public void Where_Adams_step_fails_too_theta_stays_and_the_fallback_step_halves_then_grows_back()
    {
        using var scope = NewDisposeScope();
        int p = Small.ParameterCount;
        var theta = randn(1, p, generator: new Generator(13));
        var gradient = randn(1, p, generator: new Generator(14));
        // With a constant gradient Adam's step is η = 0.03 on every coordinate; only half of one fits.
        var objective = new TrustBox(0.02);
        using var guarded = new LearnedOptimizerFactory("g", Make(StepGuard.AdamFallback)).Create(1, p, CPU);
        var moves = new List<double>();
        for (int step = 0; step < 4; step++)
        {
            objective.Center = theta;
            var next = guarded.Step(theta, full(1, 0.5f), gradient, objective);
            Assert.True(((IReportsFallbacks)guarded).LastStepFellBack![0], "g's step (output scale 0.5) is rejected");
            moves.Add(Math.Round(next.sub(theta).abs().max().item<float>(), 5));
            theta = next;
        }
        // Full step rejected: stay and halve; half step taken: grow back; full step rejected again; half step taken.
        Assert.Equal([0.0, 0.015, 0.0, 0.015], moves);
    }

    [Fact]
    public void Without_a_guard_g_reports_no_fallbacks_and_the_trace_has_none()
    {
        using var scope = NewDisposeScope();
        var trace = Train(StepGuard.None);
        Assert.Null(trace.FellBack);
        Assert.Null(trace.FallbackShare(0, 10));
    }

    [Fact]
    public void In_training_every_kept_step_of_g_keeps_the_loss_within_the_tolerance_and_fallbacks_are_recorded()
    {
        using var scope = NewDisposeScope();
        // g's untrained steps are random and large enough (scaled output 0.05) that many of them raise f's loss.
        var guardedTrace = Train(StepGuard.AdamFallback);
        var plainTrace = Train(StepGuard.None);
        var fellBack = Assert.IsType<bool[][]>(guardedTrace.FellBack);
        int kept = 0, replaced = 0;
        for (int p = 0; p < guardedTrace.Problems; p++)
            for (int s = 0; s < guardedTrace.Steps; s++)
            {
                if (fellBack[p][s]) { replaced++; continue; }
                kept++;
                float before = guardedTrace.TrainLoss[p][s], after = guardedTrace.TrainLoss[p][s + 1];
                Assert.True(after <= before * (1 + 1e-5), $"problem {p}, step {s}: g's kept step raised the loss {before} → {after}");
            }
        Assert.True(kept > 0 && replaced > 0, $"the test needs both kinds of steps (kept {kept}, replaced {replaced})");
        Assert.Equal((double)fellBack[0].Take(10).Count(f => f) / 10, guardedTrace.FallbackShare(0, 10));
        // The unguarded g with the same weights does raise the loss somewhere: the guard changed the trajectory.
        Assert.Contains(Enumerable.Range(0, plainTrace.Problems), p =>
            Enumerable.Range(0, plainTrace.Steps).Any(s => plainTrace.TrainLoss[p][s + 1] > plainTrace.TrainLoss[p][s] * (1 + 1e-5)));
        Assert.True(guardedTrace.FinalTrainLoss(0) < plainTrace.FinalTrainLoss(0) || guardedTrace.FinalTrainLoss(1) < plainTrace.FinalTrainLoss(1));
    }

    private static TrainingTrace Train(StepGuard guard)
    {
        var tasks = TinyTasks.Make(2);
        var f = new FunctionalMlp(Small);
        using var batch = TaskBatch.Create(tasks, [(0, 0), (1, 0)], Small, 3, CPU);
        return InnerLoop.Run(new LearnedOptimizerFactory("g", Make(guard, outputScale: 0.05)), batch, f, 30, [30]);
    }
}
