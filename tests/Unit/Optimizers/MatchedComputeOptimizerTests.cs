using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Optimizers;

/// <summary>The strong baselines and what they cost: cosine schedule, per-problem β, strong-Wolfe L-BFGS, counted evaluations.</summary>
[Collection("torch")]
public class MatchedComputeOptimizerTests
{
    [Fact]
    public void The_cosine_schedule_warms_up_linearly_then_decays_to_zero_at_the_end()
    {
        var schedule = new CosineSchedule(Length: 100, WarmupFraction: 0.1);
        Assert.Equal(10, schedule.WarmupSteps);
        Assert.Equal(0.1, schedule.Multiplier(0), 12);  // (0 + 1) / 10
        Assert.Equal(0.5, schedule.Multiplier(4), 12);
        Assert.Equal(1.0, schedule.Multiplier(10), 12); // the first decay step: cos 0
        Assert.Equal(0.5, schedule.Multiplier(55), 12); // halfway through the decay: ½ (1 + cos π/2)
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 89 / 90)), schedule.Multiplier(99), 12);
        Assert.Equal(0.0, schedule.Multiplier(100));
        Assert.Equal(1.0, new CosineSchedule(10, 0).Multiplier(0), 12); // no warmup
    }

    [Fact]
    public void Cosine_Adam_takes_its_first_step_at_the_warmup_rate_and_per_problem_betas_match_scalar_betas()
    {
        using var scope = NewDisposeScope();
        var theta = zeros(1, 3);
        var gradient = tensor(new float[] { 1, -2, 4 }, [1, 3]);
        using var cosine = BaselineOptimizers.Create("adam-cosine", [0.1], scheduleLength: 40).Create(1, 3, CPU);
        // Adam's first step is lr · sign(g) (m̂ = g, √v̂ = |g|); warmup is round(0.05 · 40) = 2 steps, so lr · ½.
        var moved = cosine.Step(theta, zeros(1), gradient, null!);
        Assert.True(moved.allclose(tensor(new float[] { -0.05f, 0.05f, -0.05f }, [1, 3]), rtol: 1e-4, atol: 1e-6));

        using var grid = BaselineOptimizers.Create("adam-betas", [new BaselineConfig(0.01, 0.8, 0.99), new BaselineConfig(0.01, 0.95, 0.999)]).Create(2, 3, CPU);
        using var a = new Adam(tensor(new float[] { 0.01f }, [1, 1]), 1, 3, CPU, beta1: 0.8, beta2: 0.99);
        using var b = new Adam(tensor(new float[] { 0.01f }, [1, 1]), 1, 3, CPU, beta1: 0.95, beta2: 0.999);
        Tensor both = zeros(2, 3), one = zeros(1, 3), two = zeros(1, 3);
        for (int step = 0; step < 5; step++)
        {
            var g = tensor(new float[] { 1 + step, -2, 0.5f * step }, [1, 3]);
            both = grid.Step(both, zeros(2), cat([g, g], 0), null!);
            one = a.Step(one, zeros(1), g, null!);
            two = b.Step(two, zeros(1), g, null!);
        }
        Assert.True(both[0].allclose(one[0], rtol: 1e-5, atol: 1e-7));
        Assert.True(both[1].allclose(two[0], rtol: 1e-5, atol: 1e-7));
        Assert.False(one.allclose(two, rtol: 1e-3, atol: 1e-5), "different β must move θ differently");
    }

    /// <summary>φ(α) = ½ a (x₀ + α d)² in one dimension, per problem: minimiser α* = −x₀/d.</summary>
    private static (double[] Phi, double[] Slope) Parabola(double[] a, double[] x0, double[] d, double[] alphas) =>
        (alphas.Select((al, p) => 0.5 * a[p] * Math.Pow(x0[p] + al * d[p], 2)).ToArray(),
         alphas.Select((al, p) => a[p] * (x0[p] + al * d[p]) * d[p]).ToArray());

    [Fact]
    public void The_strong_Wolfe_search_returns_steps_that_satisfy_both_conditions_on_quadratics()
    {
        // Problem 0: α = 1 is already good; 1: the minimiser is far (α* = 50), bracketing must extend;
        // 2: α = 1 overshoots to a much higher loss (α* = 0.1), the zoom must come back; 3: not a descent direction.
        double[] a = [1, 1, 100, 1], x0 = [1, 5, 1, 1], d = [-1, -0.1, -10, 1];
        var (phi0, slope0) = Parabola(a, x0, d, [0, 0, 0, 0]);
        int calls = 0;
        var result = StrongWolfeSearch.Search(phi0, slope0, [1, 1, 1, 1], (alphas, active) =>
        {
            calls++;
            Assert.False(active[3], "a problem without a descent direction is not searched");
            return Parabola(a, x0, d, alphas);
        });
        for (int p = 0; p < 3; p++)
        {
            Assert.True(result.Satisfied[p], $"problem {p}");
            var (phi, slope) = Parabola(a, x0, d, Enumerable.Repeat(result.Alpha[p], 4).ToArray());
            Assert.True(phi[p] <= phi0[p] + StrongWolfeSearch.C1 * result.Alpha[p] * slope0[p], $"sufficient decrease, problem {p}");
            Assert.True(Math.Abs(slope[p]) <= StrongWolfeSearch.C2 * Math.Abs(slope0[p]), $"curvature, problem {p}");
        }
        Assert.Equal(1, result.Evaluations[0]);
        Assert.Equal(1.0, result.Alpha[0]);  // exact: x₀ + d = 0
        Assert.True(result.Evaluations[1] > 1 && result.Alpha[1] > 1, "bracketing doubles α");
        Assert.True(result.Alpha[2] < 1, "the zoom shrinks α");
        Assert.Equal((0.0, 0, false), (result.Alpha[3], result.Evaluations[3], result.Satisfied[3]));
        Assert.Equal(result.Evaluations.Max(), calls); // one batched call per round
        Assert.Equal(1.5, StrongWolfeSearch.CubicMinimizer(0, 0, -3, 3, 0, 3), 9); // the cubic through two points of (x − 1.5)²
    }

    [Fact]
    public void A_search_that_finds_no_decrease_stops_when_its_bracket_is_below_float_resolution_and_does_not_move()
    {
        // φ never decreases along d (a plateau the slope does not see): the zoom can only shrink its bracket.
        (double[], double[]) Flat(double[] alphas, bool[] _) => (alphas.Select(_ => 1.0).ToArray(), alphas.Select(_ => -1.0).ToArray());
        var coarse = StrongWolfeSearch.Search([1], [-1], [1], Flat, directionScale: [1e-3]);
        var fine = StrongWolfeSearch.Search([1], [-1], [1], Flat, directionScale: [1]);
        Assert.Equal((0.0, false), (coarse.Alpha[0], coarse.Satisfied[0]));
        Assert.InRange(coarse.Evaluations[0], 2, 20);   // width × ‖d‖∞ < 1e-7 after about 14 halvings of [0, 1]
        Assert.True(fine.Evaluations[0] > coarse.Evaluations[0], $"{fine.Evaluations[0]} vs {coarse.Evaluations[0]}");
        Assert.True(fine.Evaluations[0] <= 25);
    }

    [Fact]
    public void Lbfgs_with_line_search_solves_an_ill_conditioned_quadratic_and_counts_each_trial()
    {
        using var scope = NewDisposeScope();
        var objective = new Quadratic();
        using var lbfgs = BaselineOptimizers.Create("lbfgs-wolfe", [1.0]).Create(2, 3, CPU);
        var counter = new CountingObjective(objective, 2);
        var theta = tensor(new float[] { 1, 1, 1, -2, 0.5f, 0.1f }, [2, 3]);
        for (int i = 0; i < 12; i++)
        {
            var (loss, gradient) = objective.LossAndGradient(theta);
            theta = lbfgs.Step(theta, loss, gradient, counter);
        }
        Assert.True(objective.Loss(theta).max().item<float>() < 1e-6, $"L-BFGS on a 3-D quadratic: {objective.Loss(theta).max().item<float>()}");
        Assert.True(counter.Forward.All(f => f >= 12), "every trial point costs a forward pass");
        Assert.Equal(counter.Forward, counter.Backward); // every trial is a loss with its gradient
        Assert.True(((IPrepaysGradient)lbfgs).NextGradientPrepaid);
    }

    [Fact]
    public void An_evaluation_asked_of_some_problems_computes_only_those_and_gives_them_the_full_batch_values()
    {
        using var scope = NewDisposeScope();
        var f = new FunctionalMlp(new MlpArchitecture([2, 128, 64, 1])); // the study's f and row count: the sizes where kernels choose their blocking
        var generator = new Generator(5);
        var x = randn(4, 1600, 2, generator: generator);
        var y = rand(4, 1600, generator: generator).gt(0.5).to_type(ScalarType.Float32);
        var theta = randn(4, f.Architecture.ParameterCount, generator: generator).mul(0.5);
        var counted = new CountingObjective(new MlpObjective(f, x, y), 4);
        var (fullLoss, fullGradient) = counted.LossAndGradient(theta);
        var asked = tensor(new[] { true, false, true, false }, [4, 1]);
        var (loss, gradient) = counted.LossAndGradient(theta, asked);
        var lossOnly = counted.Loss(theta, asked);
        // Problems are independent in the batch: the asked ones get the full batch's values bit for bit; the others
        // are not computed and read NaN, so no caller can take them for a value.
        foreach (int p in new[] { 0, 2 })
        {
            Assert.Equal(fullLoss[p].item<float>(), loss[p].item<float>());
            Assert.Equal(fullLoss[p].item<float>(), lossOnly[p].item<float>());
            Assert.True(gradient[p].equal(fullGradient[p]).all().item<bool>(), $"problem {p}: max |Δ| {gradient[p].sub(fullGradient[p]).abs().max().item<float>()}");
        }
        foreach (int p in new[] { 1, 3 })
        {
            Assert.True(float.IsNaN(loss[p].item<float>()) && float.IsNaN(lossOnly[p].item<float>()));
            Assert.True(gradient[p].isnan().all().item<bool>());
        }
        Assert.Equal([3L, 1L, 3L, 1L], counted.Forward);
        Assert.Equal([2L, 1L, 2L, 1L], counted.Backward);
        var none = counted.Loss(theta, zeros(4, 1, dtype: ScalarType.Bool));
        Assert.True(none.isnan().all().item<bool>());
    }

    /// <summary>The guard's first check: problem 0's candidate raises the loss, problem 1's lowers it; the fallback then passes.</summary>
    private sealed class FirstRejected : IObjective
    {
        private int _calls;
        public Tensor Loss(Tensor theta) => _calls++ == 0 ? tensor(new float[] { 5, 0.5f }) : tensor(new float[] { 0.5f, 0.5f });
        public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => throw new NotSupportedException();
        public Tensor ParticleLoss(Tensor particles) => throw new NotSupportedException();
    }

    [Fact]
    public void A_guard_that_falls_back_counts_three_forward_passes_and_one_that_does_not_two()
    {
        using var scope = NewDisposeScope();
        var small = new MlpArchitecture([2, 6, 1]);
        var g = new LearnedOptimizer(new GruOptimizerNetwork(new LearnedOptimizerSettings(Hidden: 4, LearningRate: 0.03, Guard: StepGuard.AdamFallback), 7), small);
        int p = small.ParameterCount;
        using var stepper = new LearnedOptimizerFactory("g", g).Create(2, p, CPU);
        var counter = new CountingObjective(new FirstRejected(), 2);
        stepper.Step(randn(2, p, generator: new Generator(1)), ones(2), randn(2, p, generator: new Generator(2)), counter);
        Assert.Equal([true, false], ((IReportsFallbacks)stepper).LastStepFellBack!);
        // The step's gradient (1 forward, 1 backward, charged by the inner loop) + g's candidate + Adam's fallback where it fell back.
        Assert.Equal([2L, 1L], counter.Forward);
        Assert.Equal([0L, 0L], counter.Backward);
        var exempt = new CountingObjective(new FirstRejected(), 2, exempt: [true, false]);
        exempt.Loss(zeros(2, 1));
        Assert.Equal([0L, 1L], exempt.Forward);
    }

    [Fact]
    public void The_controls_of_a_guarded_g_are_g_unguarded_and_Adam_at_gs_rate_behind_the_same_guard()
    {
        using var scope = NewDisposeScope();
        var small = new MlpArchitecture([2, 6, 1]);
        var settings = new LearnedOptimizerSettings(Hidden: 4, LearningRate: 0.03, Guard: StepGuard.AdamFallback);
        var g = new LearnedOptimizer(new GruOptimizerNetwork(settings, 7), small);
        int p = small.ParameterCount;
        var theta = randn(1, p, generator: new Generator(3));
        using var control = new LearnedOptimizerFactory("c", g, LearnedVariant.AdamWithGuard).Create(1, p, CPU);
        using var adam = new AdamFactory([0.03]).Create(1, p, CPU);
        using var unguarded = new LearnedOptimizerFactory("u", g, LearnedVariant.WithoutGuard).Create(1, p, CPU);
        using var plain = new LearnedOptimizerFactory("n", new LearnedOptimizer(g.Network, small)).Create(1, p, CPU);
        var accept = new FixedLoss(0.5f);
        Tensor a = theta, b = theta, u = theta;
        for (int step = 0; step < 3; step++)
        {
            var gradient = randn(1, p, generator: new Generator((ulong)(10 + step)));
            a = control.Step(a, ones(1), gradient, accept);
            b = adam.Step(b, ones(1), gradient, accept);
            u = unguarded.Step(u, ones(1), gradient, null!); // no guard: never asks the objective
        }
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-7), "accepted steps of the control are Adam's at g's rate");
        Assert.False(u.allclose(b, rtol: 1e-3, atol: 1e-5), "g unguarded is g, not Adam");
        Assert.Null(((IReportsFallbacks)unguarded).LastStepFellBack);
    }

    private sealed class FixedLoss(float value) : IObjective
    {
        public Tensor Loss(Tensor theta) => full(theta.shape[0], value);
        public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => throw new NotSupportedException();
        public Tensor ParticleLoss(Tensor particles) => throw new NotSupportedException();
    }
}
