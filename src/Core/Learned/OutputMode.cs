namespace Harness.Core.Learned;

/// <summary>How g's output becomes a step.</summary>
public enum OutputMode
{
    /// <summary>The study's: Δθ = output_scale · output.</summary>
    Scaled,

    /// <summary>A residual on Adam: Δθ = −η · adam_direction · exp(α · m) − β · tanh(d); zero-initialised head = Adam.</summary>
    AdamResidual,
}
