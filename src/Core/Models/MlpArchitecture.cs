using Harness.Core.Configuration;

namespace Harness.Core.Models;

/// <summary>
/// The layer sizes of f, e.g. [2, 128, 64, 1] (the study's). Knows where each weight and bias lives in the flat
/// parameter vector θ: per layer, the weight [out, in] row-major, then the bias [out].
/// </summary>
public sealed record MlpArchitecture(int[] Layers) : IValidatableSettings
{
    public static readonly MlpArchitecture Study = new([2, 128, 64, 1]);

    public int LayerCount => Layers.Length - 1;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Layers.Length < 2) yield return ("layers", "give at least an input and an output size, like [2, 128, 64, 1]");
        else if (Layers[0] != 2 || Layers[^1] != 1)
            yield return ("layers", $"f maps 2 inputs (x, y) to 1 logit: start with 2 and end with 1 (got [{string.Join(", ", Layers)}])");
        if (Layers.Any(l => l < 1 || l > 4096)) yield return ("layers", "every layer size must lie in 1..4096");
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
}

/// <summary>One weight or bias tensor inside θ.</summary>
public sealed record ParameterSegment(int Layer, bool IsBias, int Offset, int Rows, int Cols)
{
    public int Size => Rows * Cols;
    public string Name => $"layer{Layer + 1}.{(IsBias ? "bias" : "weight")}";
}
