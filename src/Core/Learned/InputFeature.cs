namespace Harness.Core.Learned;

/// <summary>What g sees of each coordinate (all are per coordinate, so g works for any f).</summary>
public enum InputFeature
{
    /// <summary>The study's 2 inputs: log/sign gradient preprocessing with p = 10 (Andrychowicz et al. 2016).</summary>
    LogSignGradient,

    /// <summary>The gradient over Adam's √v̂ (1 input).</summary>
    AdamGradient,

    /// <summary>Momenta at each decay rate over √v̂ (one input per decay).</summary>
    Momenta,

    /// <summary>θ over the RMS of its tensor (1 input).</summary>
    ParameterScale,
}
