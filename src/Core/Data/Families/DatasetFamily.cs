namespace Harness.Core.Data;

/// <summary>
/// The seeded 2-D dataset families (docs/experiments.md, "Dataset families"): every generator draws exactly half its
/// rows from each class and shuffles them, so file order carries no class information.
/// </summary>
public enum DatasetFamily
{
    /// <summary>Two interleaved Archimedean spirals (the study's; <see cref="SpiralParameters"/>).</summary>
    Spirals,
    /// <summary>Two interleaving half circles (scikit-learn's make_moons), Gaussian noise of std `noise`.</summary>
    Moons,
    /// <summary>Two concentric circles of radius 1 (class 0) and `factor` (class 1), Gaussian noise of std `noise`.</summary>
    Circles,
    /// <summary>A `cells` × `cells` checkerboard on [−1, 1]²; the class is the parity of the cell.</summary>
    Checkerboard,
    /// <summary>XOR: the 2 × 2 checkerboard (opposite quadrants share a class).</summary>
    Xor,
    /// <summary>Two isotropic unit Gaussians whose centres are placed so that the Bayes error is `overlap`.</summary>
    Blobs,
}
