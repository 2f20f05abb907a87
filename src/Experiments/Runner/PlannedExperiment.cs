using Harness.Core.Specs;

namespace Harness.Experiments.Runner;

/// <summary>
/// An experiment placed in run order, with its spec hash, output folder, whether a finished result exists, and the
/// sealed splits it reads (directly, or through the experiments it reads).
/// </summary>
public sealed record PlannedExperiment(
    ExperimentSpec Spec,
    IExperimentKind Kind,
    string Hash,
    string Directory,
    bool Cached,
    IReadOnlyDictionary<string, string> InputHashes,
    IReadOnlyList<string>? SealedInputs = null)
{
    public IReadOnlyList<string> ReadsSealed => SealedInputs ?? [];

    public string ResultPath => Path.Combine(Directory, ResultFolder.ResultFileName);
}
