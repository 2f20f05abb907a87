namespace Harness.Core.Meta;

/// <summary>Which validation score picks the g that meta-training keeps (lower is better).</summary>
public enum KeepBestBy
{
    /// <summary>Mean final loss on the validation tasks at the horizon T.</summary>
    Horizon,

    /// <summary>
    /// The geometric mean of the validation losses at T and at k·T: a g that is fast at T but blows up by k·T
    /// (seen: 0.05 at T = 100, 2.4 at T = 500) loses to one that is good at both.
    /// </summary>
    BothHorizons,
}
