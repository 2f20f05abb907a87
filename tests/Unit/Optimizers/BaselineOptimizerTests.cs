using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Optimizers;

[Collection("torch")]
public class BaselineOptimizerTests
{
    // f(θ) = ½ Σ a_i θ_i² with condition number 100: gradient a ⊙ θ.
    private static readonly float[] Curvature = [1, 10, 100];

    private static double Run(string name, double lr, int steps)
    {
        using var scope = NewDisposeScope();
        var a = tensor(Curvature, [1, 3]);
        var theta = ones(1, 3);
        using var optimizer = BaselineOptimizers.Create(name, [lr], scheduleLength: steps).Create(1, 3, CPU);
        var objective = new Quadratic();
        for (int i = 0; i < steps; i++) theta = optimizer.Step(theta, objective.Loss(theta), a.mul(theta), objective);
        return a.mul(theta).mul(theta).sum().item<float>() / 2;
    }

    [Fact]
    public void Sgd_momentum_and_nesterov_follow_their_update_rules()
    {
        // One step from θ = 1 with gradient a: SGD θ = 1 − lr·a; momentum's first step equals SGD's.
        using var scope = NewDisposeScope();
        var a = tensor(Curvature, [1, 3]);
        foreach (var name in new[] { "sgd", "momentum" })
        {
            using var optimizer = BaselineOptimizers.Create(name, [0.001]).Create(1, 3, CPU);
            var theta = optimizer.Step(ones(1, 3), zeros(1), a, null!);
            Assert.Equal(new[] { 0.999f, 0.99f, 0.9f }, theta.data<float>().ToArray().Select(v => MathF.Round(v, 5)));
        }
        using var nesterov = BaselineOptimizers.Create("nesterov", [0.001]).Create(1, 3, CPU);
        var step = nesterov.Step(ones(1, 3), zeros(1), a, null!); // v = a; direction a + 0.9 a
        Assert.Equal(1 - 0.001f * 1.9f, step[0, 0].item<float>(), 5);
    }

    [Fact]
    public void Every_baseline_decreases_a_convex_quadratic_and_lbfgs_solves_it_fastest()
    {
        double start = (1 + 10 + 100) / 2.0;
        foreach (var name in BaselineOptimizers.Names)
            Assert.True(Run(name, 0.005, 30) < start, name);
        Assert.True(Run("lbfgs", 1.0, 12) < 1e-6 * start, $"lbfgs: {Run("lbfgs", 1.0, 12)}");
        Assert.True(Run("sgd", 0.019, 12) > 1e-3 * start);
    }

    [Fact]
    public void Guarded_Adam_never_raises_the_loss_where_plain_Adam_at_the_same_rate_does()
    {
        using var scope = NewDisposeScope();
        var a = tensor(Curvature, [1, 3]);
        var objective = new Quadratic();
        foreach (var (name, mustRise) in new[] { ("adam", true), ("guarded-adam", false) })
        {
            var theta = ones(1, 3);
            using var optimizer = BaselineOptimizers.Create(name, [0.5]).Create(1, 3, CPU);
            var losses = new List<float> { objective.Loss(theta).item<float>() };
            for (int i = 0; i < 40; i++)
            {
                theta = optimizer.Step(theta, objective.Loss(theta), a.mul(theta), objective);
                losses.Add(objective.Loss(theta).item<float>());
            }
            bool rose = losses.Zip(losses.Skip(1)).Any(pair => pair.Second > pair.First);
            Assert.True(rose == mustRise, $"{name}: {string.Join(", ", losses.Select(l => l.ToString("G3")))}");
            if (!mustRise) Assert.True(losses[^1] < 0.01 * losses[0], $"guarded Adam still makes progress: {losses[^1]}");
        }
    }

    [Fact]
    public void The_default_grid_is_quarter_decades_from_1e_4_to_1()
    {
        var grid = BaselineOptimizers.DefaultGrid();
        Assert.Equal(17, grid.Length);
        Assert.Equal(1e-4, grid[0], 12);
        Assert.Equal(1.0, grid[^1], 12);
        Assert.Equal(Math.Pow(10, 0.25), grid[1] / grid[0], 9);
        Assert.Throws<Harness.Core.UserInputException>(() => BaselineOptimizers.Create("newton", [0.1]));
    }
}

/// <summary>f(θ) = ½ Σ a_i θ_i² with a = (1, 10, 100) per problem, with particle evaluation.</summary>
internal sealed class Quadratic : IObjective
{
    private readonly Tensor _a = tensor(new float[] { 1, 10, 100 });
    public Tensor Loss(Tensor theta) => theta.square().mul(_a).sum(-1).div(2);
    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => (Loss(theta), theta.mul(_a));
    public Tensor ParticleLoss(Tensor particles) => Loss(particles);
}

[Collection("torch")]
public class ParticleSwarmTests
{
    [Fact]
    public void The_swarm_never_reads_the_gradient_only_improves_and_is_reproducible()
    {
        using var scope = NewDisposeScope();
        var objective = new Quadratic();
        double Run()
        {
            using var inner = NewDisposeScope();
            using var pso = BaselineOptimizers.Create("pso", [0.5]).Create(2, 3, CPU);
            var theta = ones(2, 3);
            double previous = double.PositiveInfinity;
            for (int i = 0; i < 40; i++)
            {
                var garbage = full(2, 3, float.NaN); // a derivative-free method must not look at it
                theta = pso.Step(theta, objective.Loss(theta), garbage, objective);
                double loss = objective.Loss(theta).max().item<float>();
                Assert.True(loss <= previous + 1e-6, "the swarm's best never gets worse");
                previous = loss;
            }
            return previous;
        }
        double first = Run();
        Assert.True(first < 0.5 * 111 / 2, $"PSO should at least halve the loss, got {first}");
        Assert.Equal(first, Run());
    }
}
