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

    /// <summary>
    /// The mean of the validation losses at T and at k·T: a blow-up at k·T still disqualifies, but a g that is slow at
    /// T cannot win on a tiny loss at k·T (the geometric mean kept such a g: 0.144 at T = 100, 0.0001 at T = 500,
    /// over one with 0.046 and 0.020, and it then lost to Adam at T = 100).
    /// </summary>
    MeanOfHorizons,

    /// <summary>
    /// The mean over the validation tasks and every step up to k·T of log(L_t / L_0): the log-ratio meta-objective on
    /// held-out tasks. Each step counts once, in log scale, so a g that stalls late is not hidden behind a fast start (the
    /// mean of the two horizons kept seed 515's first epoch, which had only seen unrolls of 100 steps, over a later one 3×
    /// lower at 5·T), and one divergence disqualifies.
    /// </summary>
    MeanLogRatio,
}
