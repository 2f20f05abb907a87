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
    /// g with a zero residual (= Adam at g's rate η) behind g's guard, same tolerance, fallback and timing (immediate or
    /// deferred, as g's guard is): the exact control for a guarded g, whose difference from g is the trained network alone.
    /// </summary>
    AdamWithGuard,

    /// <summary>
    /// g behind the deferred guard (<see cref="StepGuard.DeferredAdamFallback"/>, with g's tolerance), whatever g's
    /// declared guard is: for a g with the immediate guard, what the deferred one would do. Full batch only.
    /// </summary>
    DeferredGuard,
}

/// <summary>
/// g as a plain optimizer (meta-validation, meta-testing, comparisons): steps without autograd history, keeping its
/// own state. With the Adam-fallback guard, a problem whose loss g's step would raise takes Adam's step instead; with
/// the deferred one, a problem whose loss g's last step raised goes back and takes Adam's step from there.
/// </summary>
public sealed class LearnedOptimizerStepper : IFlatOptimizer, IReportsFallbacks, IReadsAtAcceptedPoint
{
    private readonly LearnedOptimizer _optimizer;
    private readonly LearnedVariant _variant;
    private readonly bool _fullBatch;
    private GruOptimizerState _state;
    private readonly BacktrackingGuard _fallback;

    /// <param name="fullBatch">
    /// Whether each step's loss is the full training loss. With minibatches the next step's loss is on other rows and
    /// cannot judge a step, so a deferred guard acts immediately there (on guard_on's rows), as adam-fallback does.
    /// </param>
    public LearnedOptimizerStepper(LearnedOptimizer optimizer, int batch, Device device, LearnedVariant variant = LearnedVariant.AsTrained,
        bool fullBatch = true)
    {
        if (variant == LearnedVariant.DeferredGuard && !fullBatch)
            throw new ArgumentException("the deferred-guard control judges a step by the next step's loss: full batch only", nameof(fullBatch));
        _optimizer = optimizer;
        _variant = variant;
        _fullBatch = fullBatch;
        _state = optimizer.InitialState(batch, device);
        _fallback = new BacktrackingGuard(batch, device);
    }

    public bool[]? LastStepFellBack { get; private set; }

    /// <summary>The deferred guard's last accepted θ (the point its pending step left); null where the guard is not deferred.</summary>
    public Tensor? AcceptedPoint => Deferred ? _leftFrom : null;

    private bool Guarded => _variant != LearnedVariant.WithoutGuard && _optimizer.Settings.Guard != StepGuard.None;

    /// <summary>
    /// The guard judges each step by the next loss: the deferred control, or a guarded variant of a g whose guard is
    /// deferred, on full batches.
    /// </summary>
    private bool Deferred => _variant == LearnedVariant.DeferredGuard
                             || _fullBatch && Guarded && _optimizer.Settings.Guard == StepGuard.DeferredAdamFallback;

    // The deferred guard's pending check: the point each problem's last step left, that point's loss ceiling, whether
    // the step was an Adam trial, and each problem's trial scale. Null before the first step.
    private Tensor? _leftFrom, _ceiling, _wasTrial, _trialScale;

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        using var _ = no_grad();
        if (Deferred) return DeferredStep(theta.detach(), loss.detach(), gradient.detach());
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

    /// <summary>The deferred guard's step (<see cref="StepGuard.DeferredAdamFallback"/>): judge the last step by this loss, then step.</summary>
    private Tensor DeferredStep(Tensor theta, Tensor loss, Tensor gradient)
    {
        var (delta, next) = _variant == LearnedVariant.AdamWithGuard
            ? AdamProposal(gradient)
            : _optimizer.Update(theta, gradient, _state);
        var ceiling = loss.mul(1 + _optimizer.Settings.GuardTolerance).unsqueeze(1);
        bool first = _leftFrom is null;
        if (first)
        {
            Keep(ref _wasTrial, zeros(theta.shape[0], 1, ScalarType.Bool, theta.device));
            Keep(ref _trialScale, ones(theta.shape[0], 1, theta.dtype, theta.device));
        }
        // Before the first step there is nothing to judge.
        var rejected = first ? zeros_like(_wasTrial!)
            : loss.isfinite().logical_not().unsqueeze(1).logical_or(loss.unsqueeze(1).gt(_ceiling!));
        LastStepFellBack = rejected.squeeze(1).cpu().data<bool>().ToArray();
        // A judged Adam trial halves the problem's trial scale where it failed and doubles it back (up to 1) where it passed.
        Keep(ref _trialScale, where(_wasTrial!, where(rejected, _trialScale!.mul(0.5), _trialScale!.mul(2).clamp_max(1)), _trialScale!));
        if (!LastStepFellBack.Contains(true))
        {
            Replace(next.DetachToOuterScope());
            Keep(ref _leftFrom, theta);
            Keep(ref _ceiling, ceiling);
            Keep(ref _wasTrial, rejected);
            return theta.add(delta);
        }

        // A rejected problem goes back to the point its step left, keeps the state it had there, and tries Adam's step
        // from it (moments as of that point).
        var trial = _leftFrom!.add(_optimizer.AdamStep(_state).mul(_trialScale!));
        var result = where(rejected, trial, theta.add(delta));
        Replace(Select(rejected, _state, next).DetachToOuterScope());
        next.Dispose();
        Keep(ref _leftFrom, where(rejected, _leftFrom!, theta));
        Keep(ref _ceiling, where(rejected, _ceiling!, ceiling));
        Keep(ref _wasTrial, rejected);
        return result;
    }

    /// <summary>The Adam control's step from the current state: the moments advance, g's hidden state and momenta pass unchanged.</summary>
    private (Tensor Delta, GruOptimizerState Next) AdamProposal(Tensor gradient)
    {
        var next = _optimizer.AdvanceMoments(_state, gradient).DetachToOuterScope();
        return (_optimizer.AdamStep(next), next);
    }

    /// <summary>Per problem, the state <paramref name="mask"/> [B, 1] holds, else <paramref name="otherwise"/> (hidden columns are problem-major).</summary>
    private static GruOptimizerState Select(Tensor mask, GruOptimizerState kept, GruOptimizerState otherwise)
    {
        var columns = mask.expand(kept.M.shape).reshape(1, -1);
        return new GruOptimizerState(
            kept.Hidden.Zip(otherwise.Hidden, (k, o) => where(columns, k, o)).ToArray(),
            where(mask, kept.M, otherwise.M),
            where(mask, kept.V, otherwise.V),
            kept.Momenta.Zip(otherwise.Momenta, (k, o) => where(mask, k, o)).ToArray(),
            otherwise.Step);
    }

    private static void Keep(ref Tensor? state, Tensor next)
    {
        var old = state;
        state = next.detach().clone().MoveToOuterDisposeScope();
        old?.Dispose();
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
        _leftFrom?.Dispose();
        _ceiling?.Dispose();
        _wasTrial?.Dispose();
        _trialScale?.Dispose();
    }
}

/// <summary>g as an optimizer factory; <paramref name="FullBatch"/> false where f trains in minibatches (see the stepper).</summary>
public sealed record LearnedOptimizerFactory(string Name, LearnedOptimizer Optimizer, LearnedVariant Variant = LearnedVariant.AsTrained,
    bool FullBatch = true) : IFlatOptimizerFactory
{
    /// <summary>This factory for a run with the given minibatch size (null: full batch).</summary>
    public LearnedOptimizerFactory ForBatchSize(int? batchSize) => this with { FullBatch = batchSize is null };

    public IFlatOptimizer Create(int batch, int parameters, Device device) =>
        new LearnedOptimizerStepper(Optimizer, batch, device, Variant, FullBatch);
}
