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
/// StartChildRun opens a nested MLflow run under this one (a benchmark's run per task set).
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
    Func<string, ITrackedRun>? StartChildRun = null)
{
    /// <summary>A child seed for one purpose (and index).</summary>
    public ulong ChildSeed(string purpose, params object[] index) =>
        SeedDerivation.Derive(Seed, [SeedStream, purpose, .. index]);
}
