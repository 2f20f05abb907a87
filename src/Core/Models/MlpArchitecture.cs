using Harness.Core.Configuration;

namespace Harness.Core.Models;

/// <summary>
/// f's shape: layer sizes, e.g. [2, 128, 64, 1] (the study's: the input width, hidden widths, one logit), and the
/// hidden layers' activation. Knows where each weight and bias lives in the flat parameter vector θ: per layer, the
/// weight [out, in] row-major, then the bias [out].
/// </summary>
public sealed record MlpArchitecture(int[] Layers, Activation Activation = Activation.Relu) : IValidatableSettings
{
    public const int MaxWidth = 4096;

    public static readonly MlpArchitecture Study = new([2, 128, 64, 1]);

    [System.Text.Json.Serialization.JsonIgnore] public int InputWidth => Layers[0];

    public int LayerCount => Layers.Length - 1;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Layers.Length < 2) yield return ("layers", "give at least an input and an output size, like [2, 128, 64, 1]");
        else if (Layers[^1] != 1)
            yield return ("layers", $"f ends in one logit: the last size must be 1 (got [{string.Join(", ", Layers)}])");
        if (Layers.Any(l => l < 1 || l > MaxWidth)) yield return ("layers", $"every layer size must lie in 1..{MaxWidth}");
    }

    /// <summary>The flat-θ segments of each tensor, in order: (layer, isBias, offset, rows, cols).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public IReadOnlyList<ParameterSegment> Segments
    {
        get
        {
            var segments = new List<ParameterSegment>();
            int offset = 0;
            for (int l = 0; l < LayerCount; l++)
            {
                int fanIn = Layers[l], fanOut = Layers[l + 1];
                segments.Add(new ParameterSegment(l, false, offset, fanOut, fanIn));
                offset += fanOut * fanIn;
                segments.Add(new ParameterSegment(l, true, offset, fanOut, 1));
                offset += fanOut;
            }
            return segments;
        }
    }

    public int ParameterCount => Segments.Sum(s => s.Size);

    /// <summary>Writes the shape as the docs do: [2, 128, 64, 1] relu.</summary>
    public override string ToString() => $"[{string.Join(", ", Layers)}] {Activation.ToString().ToLowerInvariant()}";

    public bool Equals(MlpArchitecture? other) =>
        other is not null && Layers.AsSpan().SequenceEqual(other.Layers) && Activation == other.Activation;

    public override int GetHashCode() => HashCode.Combine(Layers.Length, Layers.Sum(), Activation);
}

/// <summary>One weight or bias tensor inside θ.</summary>
public sealed record ParameterSegment(int Layer, bool IsBias, int Offset, int Rows, int Cols)
{
    public int Size => Rows * Cols;
    public string Name => $"layer{Layer + 1}.{(IsBias ? "bias" : "weight")}";
}
