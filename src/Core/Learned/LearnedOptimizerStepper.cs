using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Core.Learned;

/// <summary>
/// g as a plain optimizer (meta-validation, meta-testing, comparisons): steps without autograd history, keeping its
/// own state. With the Adam-fallback guard, a problem whose loss g's step would raise takes Adam's step instead.
/// </summary>
public sealed class LearnedOptimizerStepper : IFlatOptimizer, IReportsFallbacks
{
    private readonly LearnedOptimizer _optimizer;
    private GruOptimizerState _state;
    private readonly BacktrackingGuard _fallback;

    public LearnedOptimizerStepper(LearnedOptimizer optimizer, int batch, Device device)
    {
        _optimizer = optimizer;
        _state = optimizer.InitialState(batch, device);
        _fallback = new BacktrackingGuard(batch, device);
    }

    public bool[]? LastStepFellBack { get; private set; }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        using var _ = no_grad();
        var (delta, next) = _optimizer.Update(theta.detach(), gradient.detach(), _state);
        var old = _state;
        _state = next.DetachToOuterScope();
        old.Dispose();
        var candidate = theta.detach().add(delta);
        if (_optimizer.Settings.Guard == StepGuard.None) return candidate;

        // The guard: g's step stands only where it keeps the loss finite and at most (1 + tolerance) times the current
        // one; elsewhere Adam's step, backtracking: near a minimum Adam's fixed-size steps spike too, so where Adam's
        // step fails as well θ stays and that problem's fallback step is halved until one passes.
        var ceiling = loss.detach().mul(1 + _optimizer.Settings.GuardTolerance);
        var fallBack = BacktrackingGuard.Rejected(objective, candidate, ceiling);
        LastStepFellBack = fallBack.squeeze(1).cpu().data<bool>().ToArray();
        if (!LastStepFellBack.Contains(true)) return candidate;
        var adam = _fallback.Step(theta.detach(), _optimizer.AdamStep(_state), ceiling, objective, fallBack);
        return where(fallBack, adam, candidate);
    }

    public void Dispose()
    {
        _state.Dispose();
        _fallback.Dispose();
    }
}

public sealed record LearnedOptimizerFactory(string Name, LearnedOptimizer Optimizer) : IFlatOptimizerFactory
{
    public IFlatOptimizer Create(int batch, int parameters, Device device) => new LearnedOptimizerStepper(Optimizer, batch, device);
}
