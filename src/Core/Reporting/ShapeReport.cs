using Harness.Core.Configuration;
using Harness.Core.Learned;
using Harness.Core.Models;

namespace Harness.Core.Reporting;

/// <summary>One layer in a shape report: its name, the tensor shape it produces and the weights it owns.</summary>
public sealed record ShapeRow(string Layer, string OutputShape, long Parameters, string Detail);

/// <summary>
/// Parameter counts and the tensor shape flow (batch dimension included) of f, of g applied to P coordinates, and of
/// an Elman network (the study's theory question: hidden sizes 3 and 2 give 3·n_x + 3·n_y + 24 weights).
/// </summary>
public static class ShapeReport
{
    public static IReadOnlyList<ShapeRow> Mlp(MlpArchitecture f, string batch = "B")
    {
        var rows = new List<ShapeRow> { new("input", $"[{batch}, {f.Layers[0]}]", 0, "x, y") };
        for (int l = 0; l < f.LayerCount; l++)
        {
            int fanIn = f.Layers[l], fanOut = f.Layers[l + 1];
            rows.Add(new($"linear {l + 1}", $"[{batch}, {fanOut}]", (long)fanOut * fanIn + fanOut, $"W {fanOut}×{fanIn} + b {fanOut}"));
            if (l < f.LayerCount - 1) rows.Add(new("relu", $"[{batch}, {fanOut}]", 0, ""));
        }
        return rows;
    }

    /// <summary>g over P coordinates (each a column, feature-major as g computes it): GRU cells (PyTorch layout: W_ih 3H×in, W_hh 3H×H, two biases 3H) and a head.</summary>
    public static IReadOnlyList<ShapeRow> LearnedOptimizer(LearnedOptimizerSettings g, string coordinates = "P")
    {
        var rows = new List<ShapeRow> { new("inputs", $"[{g.InputSize}, {coordinates}]", 0,
            string.Join(", ", g.ResolvedInputs.Select(i => Naming.ToSnakeCase(i.ToString()).Replace('_', '-')))) };
        int input = g.InputSize, h = g.Hidden;
        for (int l = 0; l < g.Layers; l++)
        {
            long weights = 3L * h * input + 3L * h * h + 6L * h;
            rows.Add(new($"gru cell {l + 1}", $"[{h}, {coordinates}]", weights, $"W_ih {3 * h}×{input} + W_hh {3 * h}×{h} + b_ih {3 * h} + b_hh {3 * h}; state [{h}, {coordinates}]"));
            input = h;
        }
        rows.Add(new("head", $"[{g.OutputSize}, {coordinates}]", (long)g.OutputSize * h + g.OutputSize,
            g.Output == OutputMode.AdamResidual ? "linear → (m, d), zero-initialised" : $"linear → Δθ / {g.OutputScale}"));
        return rows;
    }

    /// <summary>An Elman network over sequences [B, T, n_x]: per hidden layer W_in, W_rec and a bias; a linear output per step.</summary>
    public static IReadOnlyList<ShapeRow> Elman(int inputs, IReadOnlyList<int> hidden, int outputs, string batch = "B", string steps = "T")
    {
        var rows = new List<ShapeRow> { new("input", $"[{batch}, {steps}, {inputs}]", 0, "") };
        int previous = inputs;
        for (int l = 0; l < hidden.Count; l++)
        {
            int h = hidden[l];
            rows.Add(new($"elman {l + 1}", $"[{batch}, {steps}, {h}]", (long)h * previous + (long)h * h + h,
                $"W_in {h}×{previous} + W_rec {h}×{h} + b {h}; state [{batch}, {h}]"));
            previous = h;
        }
        rows.Add(new("output", $"[{batch}, {steps}, {outputs}]", (long)outputs * previous + outputs, $"W {outputs}×{previous} + b {outputs}"));
        return rows;
    }

    public static long Total(IEnumerable<ShapeRow> rows) => rows.Sum(r => r.Parameters);
}
