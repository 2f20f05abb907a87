namespace Harness.Core.Data;

/// <summary>
/// One balanced subset of a dataset, split into train and test parts, ready for f.
/// Features are row-major [n, D] floats (already standardised if asked); labels are 0/1 floats.
/// SourceRows are the rows of the source dataset, for provenance and disjointness checks.
/// </summary>
public sealed record SplitTask(
    int Index,
    float[] TrainFeatures,
    float[] TrainLabels,
    float[] TestFeatures,
    float[] TestLabels,
    int[] TrainSourceRows,
    int[] TestSourceRows,
    Standardizer Scaling)
{
    public int TrainCount => TrainLabels.Length;
    public int TestCount => TestLabels.Length;

    /// <summary>D, the number of input features (f's input width).</summary>
    public int FeatureCount => Scaling.Features;
}
