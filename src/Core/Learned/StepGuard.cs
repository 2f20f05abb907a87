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
}
