using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// Helpers for optimizer state that must outlive each step's dispose scope: replace a state tensor with its new value,
/// moving the new one out of the step's scope and disposing the old one.
/// </summary>
public static class OptimizerState
{
    public static void Replace(ref Tensor state, Tensor next)
    {
        var old = state;
        state = next.detach().MoveToOuterDisposeScope();
        old.Dispose();
    }

    /// <summary>A per-problem hyperparameter (one value, or one per problem for a learning-rate grid) as [B, 1].</summary>
    public static Tensor PerProblem(IReadOnlyList<double> values, int batch, Device device)
    {
        if (values.Count != 1 && values.Count != batch)
            throw new ArgumentException($"expected 1 or {batch} values, got {values.Count}");
        var expanded = values.Count == 1 ? Enumerable.Repeat(values[0], batch).ToArray() : values.ToArray();
        return tensor(expanded.Select(v => (float)v).ToArray(), [batch, 1]).to(device);
    }
}
