using Harness.Core.Data;
using Harness.Core.Models;
using Harness.Core.Randomness;

namespace Harness.Core.Meta;

/// <summary>
/// One component of meta-training's task mixture: a split's tasks, the f trained on them, and the component's weight
/// (a meta-step draws its source with probability weight / Σ weights).
/// </summary>
public sealed record MetaTaskSource(string Name, IReadOnlyList<SplitTask> Tasks, MlpArchitecture F, double Weight)
{
    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public static int Draw(IReadOnlyList<double> weights, Rng rng)
    {
        double u = rng.NextDouble() * weights.Sum();
        for (int i = 0; i < weights.Count; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Count - 1;
    }
}

/// <summary>A mixture entry as declared in meta-train's `tasks:` list: a split input, its weight and its f.</summary>
public sealed record TaskMixtureEntry(string Input, double Weight = 1, MlpSettings? F = null);
