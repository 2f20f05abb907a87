using Harness.Core.Randomness;

namespace Harness.Core.Data;

/// <summary>
/// Concentric circles (as scikit-learn's make_circles): class 0 on the circle of radius 1, class 1 on the circle of
/// radius `factor` (0 &lt; factor &lt; 1), angles uniform, plus Gaussian noise of std `noise` on each coordinate.
/// </summary>
internal static class CirclesGenerator
{
    public static PlanePoints Generate(int rows, double factor, double noise, Rng rng) =>
        PlanePoints.Draw(rows, rng, (cls, r) =>
        {
            double angle = 2 * Math.PI * r.NextDouble();
            double radius = cls == 0 ? 1.0 : factor;
            return (radius * Math.Cos(angle) + noise * r.NextGaussian(), radius * Math.Sin(angle) + noise * r.NextGaussian());
        }).Shuffled(rng);
}
