using Harness.Core.Randomness;

namespace Harness.Core.Data;

/// <summary>
/// Two moons (as scikit-learn's make_moons): class 0 on the upper half circle (cos t, sin t), class 1 on the lower one
/// (1 − cos t, 0.5 − sin t), t uniform in [0, π], plus Gaussian noise of std `noise` on each coordinate.
/// </summary>
internal static class MoonsGenerator
{
    public static PlanePoints Generate(int rows, double noise, Rng rng) =>
        PlanePoints.Draw(rows, rng, (cls, r) =>
        {
            double t = Math.PI * r.NextDouble();
            double x = cls == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
            double y = cls == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            return (x + noise * r.NextGaussian(), y + noise * r.NextGaussian());
        }).Shuffled(rng);
}
