using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Core.Learned;

/// <summary>Which optimizer a <see cref="LearnedOptimizerStepper"/> runs: g as trained, or one of its two controls.</summary>
public enum LearnedVariant
{
    /// <summary>g with its declared guard.</summary>
    AsTrained,

    /// <summary>g's own steps, always taken: what g does without its guard.</summary>
    WithoutGuard,

    /// <summary>
    /// g with a zero residual (= Adam at g's rate η) behind g's guard, same tolerance and fallback: the exact control for
    /// a guarded g, whose difference from g is the trained network alone.
    /// </summary>
    AdamWithGuard,
}

/// <summary>
/// g as a plain optimizer (meta-validation, meta-testing, comparisons): steps without autograd history, keeping its
/// own state. With the Adam-fallback guard, a problem whose loss g's step would raise takes Adam's step instead.
/// </summary>
public sealed class LearnedOptimizerStepper : IFlatOptimizer, IReportsFallbacks
{
    private readonly LearnedOptimizer _optimizer;
    private readonly LearnedVariant _variant;
    private GruOptimizerState _state;
    private readonly BacktrackingGuard _fallback;

    public LearnedOptimizerStepper(LearnedOptimizer optimizer, int batch, Device device, LearnedVariant variant = LearnedVariant.AsTrained)
    {
        _optimizer = optimizer;
        _variant = variant;
        _state = optimizer.InitialState(batch, device);
        _fallback = new BacktrackingGuard(batch, device);
    }

    public bool[]? LastStepFellBack { get; private set; }

    private bool Guarded => _variant != LearnedVariant.WithoutGuard && _optimizer.Settings.Guard != StepGuard.None;

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        using var _ = no_grad();
        var candidate = theta.detach().add(Propose(theta, gradient));
        if (!Guarded) return candidate;

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

    /// <summary>The variant's step Δθ; advances the state (g's network, or for the Adam control only the moments).</summary>
    private Tensor Propose(Tensor theta, Tensor gradient)
    {
        if (_variant == LearnedVariant.AdamWithGuard)
        {
            // Hidden state and momenta pass to the new state unchanged: only the old moments are released.
            var old = _state;
            _state = _optimizer.AdvanceMoments(old, gradient);
            old.M.Dispose();
            old.V.Dispose();
            return _optimizer.AdamStep(_state);
        }
        var (delta, next) = _optimizer.Update(theta.detach(), gradient.detach(), _state);
        Replace(next.DetachToOuterScope());
        return delta;
    }

    private void Replace(GruOptimizerState next)
    {
        var old = _state;
        _state = next;
        old.Dispose();
    }

    public void Dispose()
    {
        _state.Dispose();
        _fallback.Dispose();
    }
}

public sealed record LearnedOptimizerFactory(string Name, LearnedOptimizer Optimizer, LearnedVariant Variant = LearnedVariant.AsTrained)
    : IFlatOptimizerFactory
{
    public IFlatOptimizer Create(int batch, int parameters, Device device) => new LearnedOptimizerStepper(Optimizer, batch, device, Variant);
}
