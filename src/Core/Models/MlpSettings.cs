using Harness.Core.Configuration;

namespace Harness.Core.Models;

/// <summary>
/// The f a `compare` or `meta-test` trains, as declared (`f: { layers: [...], activation: ... }`): every key left out
/// is meta-training's f, except the input width, which follows the tasks' features when `layers` is left out.
/// g is coordinate-wise, so any f works.
/// </summary>
public sealed record MlpSettings(int[]? Layers = null, Activation? Activation = null) : IValidatableSettings
{
    public IEnumerable<(string Key, string Message)> Validate() =>
        Layers is null ? [] : new MlpArchitecture(Layers).Validate();

    /// <summary>f for tasks of <paramref name="features"/> inputs, filling what is left out from meta-training's f.</summary>
    public MlpArchitecture Resolve(MlpArchitecture metaTrained, int features)
    {
        var layers = Layers ?? [features, .. metaTrained.Layers[1..]];
        if (layers[0] != features)
            throw new UserInputException(
                $"f.layers [{string.Join(", ", layers)}] starts with {layers[0]} inputs, but the tasks have {features} features: " +
                $"start f.layers with {features} (or leave out layers to keep meta-training's hidden sizes)");
        return new MlpArchitecture(layers, Activation ?? metaTrained.Activation);
    }
}
