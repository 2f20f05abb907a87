using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// Takes a proposed step only where it keeps a problem's loss finite and at most a ceiling; elsewhere θ stays and that
/// problem's step scale halves, and each step taken doubles it back (up to 1): a backtracking line search along the
/// proposed direction, so no problem is stuck for good (staying without shrinking would retry the same rejected step
/// from the same θ forever). The fallback of g's guard, and on its own the `guarded-adam` baseline.
/// </summary>
public sealed class BacktrackingGuard : IDisposable
{
    private Tensor _scale;

    public BacktrackingGuard(int batch, Device device) => _scale = ones(batch, 1, device: device);

    /// <summary>
    /// [B, 1]: where the loss at <paramref name="next"/> is not finite or above the ceiling [B]. Only the problems in
    /// <paramref name="asked"/> [B, 1] (default: all) are charged for the evaluation.
    /// </summary>
    public static Tensor Rejected(IObjective objective, Tensor next, Tensor ceiling, Tensor? asked = null)
    {
        var loss = asked is null ? objective.Loss(next) : objective.Loss(next, asked);
        return loss.isfinite().logical_not().logical_or(loss.gt(ceiling)).unsqueeze(1);
    }

    /// <summary>θ + scale·step where that passes, θ where not; only problems where <paramref name="active"/> [B, 1] try.</summary>
    public Tensor Step(Tensor theta, Tensor step, Tensor ceiling, IObjective objective, Tensor active)
    {
        var trial = theta.add(step.mul(_scale));
        var rejected = active.logical_and(Rejected(objective, trial, ceiling, active));
        var taken = active.logical_and(rejected.logical_not());
        OptimizerState.Replace(ref _scale, where(rejected, _scale.mul(0.5), where(taken, _scale.mul(2).clamp_max(1), _scale)));
        return where(taken, trial, theta);
    }

    public void Dispose() => _scale.Dispose();
}
