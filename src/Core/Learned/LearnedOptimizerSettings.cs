using Harness.Core.Configuration;

namespace Harness.Core.Learned;

/// <summary>
/// The architecture of g: a coordinate-wise GRU (shared by all coordinates of θ), its inputs and output form.
/// Defaults are the study's g: one GRU layer, hidden 128, log/sign gradient inputs, scaled output.
/// </summary>
public sealed record LearnedOptimizerSettings(
    int Layers = 1,
    int Hidden = 128,
    InputFeature[]? Inputs = null,
    double[]? MomentumDecays = null,
    OutputMode Output = OutputMode.Scaled,
    double OutputScale = 0.1,
    double LearningRate = 0.01,
    double Alpha = 1.0,
    double Beta = 0.01,
    double? StepClip = null,
    StepGuard Guard = StepGuard.None,
    double GuardTolerance = 0.0) : IValidatableSettings
{
    [System.Text.Json.Serialization.JsonIgnore] public InputFeature[] ResolvedInputs => Inputs ?? [InputFeature.LogSignGradient];
    [System.Text.Json.Serialization.JsonIgnore] public double[] ResolvedMomentumDecays => MomentumDecays ?? [0.5, 0.9, 0.99];

    /// <summary>Number of inputs per coordinate.</summary>
    public int InputSize => ResolvedInputs.Distinct().Sum(f => f switch
    {
        InputFeature.LogSignGradient => 2,
        InputFeature.Momenta => ResolvedMomentumDecays.Length,
        _ => 1,
    });

    public int OutputSize => Output == OutputMode.AdamResidual ? 2 : 1;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Layers is < 1 or > 2) yield return ("layers", $"g has 1 or 2 GRU layers (got {Layers})");
        if (Hidden is < 1 or > 1024) yield return ("hidden", $"hidden size must lie in 1..1024 (got {Hidden})");
        if (ResolvedInputs.Length == 0) yield return ("inputs", "give at least one input feature");
        if (ResolvedInputs.Distinct().Count() != ResolvedInputs.Length) yield return ("inputs", "an input feature is listed twice");
        if (ResolvedMomentumDecays.Any(b => !(b > 0 && b < 1))) yield return ("momentum_decays", "every decay must lie strictly between 0 and 1");
        if (!(OutputScale > 0)) yield return ("output_scale", "must be > 0");
        if (!(LearningRate > 0)) yield return ("learning_rate", "η must be > 0");
        if (!(Beta >= 0)) yield return ("beta", "must be ≥ 0");
        if (StepClip is { } c && !(c > 0)) yield return ("step_clip", "must be > 0 (or left out for no clipping)");
        if (!(GuardTolerance >= 0 && double.IsFinite(GuardTolerance)))
            yield return ("guard_tolerance", $"must be a finite number ≥ 0 (got {GuardTolerance}); 0 falls back on any rise of the loss");
    }
}
