namespace Harness.Core.Learned;

/// <summary>What g does when its own step would raise f's training loss.</summary>
public enum StepGuard
{
    /// <summary>g's step is always taken.</summary>
    None,

    /// <summary>
    /// Each step of g is tried first: where it would raise a problem's loss above L·(1 + guard_tolerance) (or make it
    /// non-finite), that problem takes Adam's step instead (rate η = learning_rate, from the moments g keeps anyway),
    /// and where Adam's step fails the same test too, θ stays for that step and the problem's fallback step is halved
    /// (restored ×2 per fallback step taken). No step then raises the loss by more than the tolerance. Costs one
    /// forward pass of f per step, two on steps where some problem falls back. Acts wherever g runs as an optimizer
    /// (meta-validation, meta-tests, comparisons); meta-training's unrolls train g's own steps.
    /// </summary>
    AdamFallback,

    /// <summary>
    /// The same rule checked one step late, at no extra evaluation: each step of g is taken, and the loss the next
    /// gradient computes anyway judges it. Where that loss is not finite or above L·(1 + guard_tolerance) of the point
    /// the step left, that problem goes back there, keeps g's state as it was, and tries Adam's step (rate η) from it;
    /// a failed Adam trial halves the problem's trial scale, an accepted one doubles it back (up to 1). A rejected step
    /// costs one evaluation, an accepted one nothing. g is read at its last accepted point, so its answer is never an
    /// unjudged step. With minibatches the two losses come from different rows, so there it acts immediately,
    /// as <see cref="AdamFallback"/> does, on guard_on's rows.
    /// </summary>
    DeferredAdamFallback,
}
