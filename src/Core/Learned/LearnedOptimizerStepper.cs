using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Core.Learned;

/// <summary>g as a plain optimizer (meta-testing, comparisons): steps without autograd history, keeping its own state.</summary>
public sealed class LearnedOptimizerStepper : IFlatOptimizer
{
    private readonly LearnedOptimizer _optimizer;
    private GruOptimizerState _state;

    public LearnedOptimizerStepper(LearnedOptimizer optimizer, int batch, Device device)
    {
        _optimizer = optimizer;
        _state = optimizer.InitialState(batch, device);
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        using var _ = no_grad();
        var (delta, next) = _optimizer.Update(theta.detach(), gradient.detach(), _state);
        var old = _state;
        _state = next.DetachToOuterScope();
        old.Dispose();
        return theta.detach().add(delta);
    }

    public void Dispose() => _state.Dispose();
}

public sealed record LearnedOptimizerFactory(string Name, LearnedOptimizer Optimizer) : IFlatOptimizerFactory
{
    public IFlatOptimizer Create(int batch, int parameters, Device device) => new LearnedOptimizerStepper(Optimizer, batch, device);
}
