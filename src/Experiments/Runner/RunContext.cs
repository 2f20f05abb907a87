using Harness.Core.Randomness;
using Harness.Core.Runtime;
using Harness.Core.Tracking;
using TorchSharp;

namespace Harness.Experiments.Runner;

/// <summary>
/// Everything an experiment may use while it runs. All randomness derives from Seed and SeedStream (the spec's
/// RandomStream: its id unless it names another stream).
/// CheckpointDirectory survives an interrupted run (outputs/ID/.resume-HASH): long kinds save progress there and
/// continue from it under `run --resume`. InputIds are the spec's inputs, in the order of the inputs a kind is given;
/// StartChildRun(name, parent) opens a nested MLflow run named "ID/name" under this run (parent null) or under one of
/// its children (a compare's run per optimizer; a benchmark's run per task set, and per optimizer under it).
/// DatasetInputs are the MLflow dataset inputs this run logged, for its children to log those they read.
/// </summary>
public sealed record RunContext(
    string SeedStream,
    ulong Seed,
    bool Golden,
    torch.Device Device,
    int Threads,
    ITrackedRun Tracking,
    IProgressReporter Progress,
    string ArtifactDirectory,
    CancellationToken Cancellation,
    string? CheckpointDirectory = null,
    IReadOnlyList<string>? InputIds = null,
    Func<string, string?, ITrackedRun>? StartChildRun = null,
    IReadOnlyList<DatasetInput>? DatasetInputs = null)
{
    /// <summary>A child seed for one purpose (and index).</summary>
    public ulong ChildSeed(string purpose, params object[] index) =>
        SeedDerivation.Derive(Seed, [SeedStream, purpose, .. index]);
}
