using Harness.Core.Specs;

namespace Harness.Experiments.Runner;

/// <summary>An experiment placed in run order, with its spec hash, output folder and whether a finished result exists.</summary>
public sealed record PlannedExperiment(
    ExperimentSpec Spec,
    IExperimentKind Kind,
    string Hash,
    string Directory,
    bool Cached,
    IReadOnlyDictionary<string, string> InputHashes)
{
    public string ResultPath => Path.Combine(Directory, ResultFolder.ResultFileName);
}
