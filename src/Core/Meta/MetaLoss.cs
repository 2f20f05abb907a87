namespace Harness.Core.Meta;

/// <summary>What meta-training minimises over an unroll.</summary>
public enum MetaLoss
{
    /// <summary>The sum of f's losses over the unroll (Andrychowicz et al. 2016).</summary>
    Sum,

    /// <summary>The mean of log(L_t / L_0): scale-free, so easy and hard tasks weigh the same.</summary>
    LogRatio,
}
