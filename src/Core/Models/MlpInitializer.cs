using Harness.Core.Randomness;

namespace Harness.Core.Models;

/// <summary>
/// PyTorch's default nn.Linear initialisation (kaiming_uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in) for weights,
/// and the same bound for biases), drawn from our own seeded generator so that (task, init index) fixes f for every
/// optimizer, independent of libtorch's global generator.
/// </summary>
public static class MlpInitializer
{
    public static float[] Initialize(MlpArchitecture architecture, ulong seed)
    {
        var theta = new float[architecture.ParameterCount];
        var rng = new Rng(seed);
        foreach (var segment in architecture.Segments)
        {
            double bound = 1.0 / Math.Sqrt(architecture.Layers[segment.Layer]);
            for (int i = 0; i < segment.Size; i++)
                theta[segment.Offset + i] = (float)((2 * rng.NextDouble() - 1) * bound);
        }
        return theta;
    }

    /// <summary>The seed of f's initialisation for a task and init index: shared by every optimizer.</summary>
    public static ulong SeedFor(ulong experimentSeed, int taskIndex, int initIndex) =>
        SeedDerivation.Derive(experimentSeed, "f-init", taskIndex, initIndex);
}
