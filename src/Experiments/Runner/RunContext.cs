using Harness.Core.Randomness;
using Harness.Core.Runtime;
using Harness.Core.Tracking;
using TorchSharp;

namespace Harness.Experiments.Runner;

/// <summary>
/// Everything an experiment may use while it runs. All randomness derives from Seed and SeedStream (the spec's
/// RandomStream: its id unless it names another stream).
/// CheckpointDirectory survives an interrupted run (outputs/ID/.resume-HASH): long kinds save progress there and
/// continue from it under `run --resume`.
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
    string? CheckpointDirectory = null)
{
    /// <summary>A child seed for one purpose (and index).</summary>
    public ulong ChildSeed(string purpose, params object[] index) =>
        SeedDerivation.Derive(Seed, [SeedStream, purpose, .. index]);
}
