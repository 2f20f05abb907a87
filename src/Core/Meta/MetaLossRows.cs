namespace Harness.Core.Meta;

/// <summary>
/// Which rows of each meta-training task f's meta-loss is measured on. Training rows reward g for driving f's
/// training loss down, which also rewards over-fitting: f gets over-confident and its test accuracy falls past the
/// horizon. The task's held-out rows (its own test part: meta-training data, never the test tasks) reward
/// generalisation instead.
/// </summary>
public enum MetaLossRows
{
    /// <summary>f's loss on the rows it trains on (Andrychowicz et al. 2016).</summary>
    Train,

    /// <summary>f's loss on the task's held-out rows.</summary>
    HeldOut,

    /// <summary>The mean of the two meta-loss terms: fast on the training rows, without over-fitting.</summary>
    Both,
}
