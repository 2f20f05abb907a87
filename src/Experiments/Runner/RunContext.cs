using Harness.Core.Randomness;
using Harness.Core.Runtime;
using Harness.Core.Tracking;
using TorchSharp;

namespace Harness.Experiments.Runner;

/// <summary>
/// Everything an experiment may use while it runs. All randomness derives from Seed and SeedStream (the experiment's
/// id unless its spec names another stream).
/// CheckpointDirectory survives an interrupted run (outputs/ID/.resume-HASH): long kinds save progress there and
/// continue from it under `run --resume`.
/// </summary>
public sealed record RunContext(
    string ExperimentId,
    ulong Seed,
    bool Golden,
    torch.Device Device,
    int Threads,
    ITrackedRun Tracking,
    IProgressReporter Progress,
    string ArtifactDirectory,
    CancellationToken Cancellation,
    string? CheckpointDirectory = null,
    string? SeedStream = null)
{
    /// <summary>A child seed for one purpose (and index).</summary>
    public ulong ChildSeed(string purpose, params object[] index) =>
        SeedDerivation.Derive(Seed, [SeedStream ?? ExperimentId, purpose, .. index]);
}
