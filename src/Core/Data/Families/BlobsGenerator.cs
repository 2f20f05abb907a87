using Harness.Core.Randomness;
using MathNet.Numerics.Distributions;

namespace Harness.Core.Data;

/// <summary>
/// Two isotropic Gaussian blobs of unit std, centred at (−d/2, 0) and (d/2, 0). The distance d is set by the
/// declared `overlap`, the Bayes error of the two classes (the share of points on the other class's side of the
/// best boundary): overlap = Φ(−d/2), so 0.5 makes the classes identical and 0.01 puts them d ≈ 4.65 apart.
/// </summary>
internal static class BlobsGenerator
{
    public static double CentreDistance(double overlap) => -2 * Normal.InvCDF(0, 1, overlap);

    public static PlanePoints Generate(int rows, double overlap, Rng rng)
    {
        double half = CentreDistance(overlap) / 2;
        return PlanePoints.Draw(rows, rng, (cls, r) =>
            ((cls == 0 ? -half : half) + r.NextGaussian(), r.NextGaussian())).Shuffled(rng);
    }
}
