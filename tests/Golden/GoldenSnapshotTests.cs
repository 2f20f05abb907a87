using Harness.Experiments.Cli;
using Harness.Experiments.Golden;
using Harness.Experiments.Runner;
using Snapshooter;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>
/// The recorded layer: every experiment of experiments.yaml, run at its golden size under portable numerics, matches
/// its committed snapshot exactly: numbers rounded to GoldenRecord.SignificantDigits for the reader, and the SHA-256 of
/// the result record and of g's checkpoints for the bits. A change to g's defaults or to any result shows up here.
/// Missing snapshots fail in CI (SNAPSHOOTER_STRICT_MODE=on); accept intended changes with ./harness golden accept.
/// </summary>
[Collection("torch")]
public class GoldenSnapshotTests(GoldenFixture golden) : IClassFixture<GoldenFixture>
{
    public static TheoryData<string> ExperimentIds()
    {
        var data = new TheoryData<string>();
        foreach (var e in RunCommands.LoadFile(RepositoryPaths.ExperimentsFile).Experiments) data.Add(e.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(ExperimentIds))]
    public void Experiment_matches_its_cpu_snapshot(string id)
    {
        var (record, directory) = golden.Results[id];
        Assert.Equal("cpu", record.Device);
        Assert.Equal(GoldenRecord.Threads, record.Threads);
        Assert.Equal("portable", record.Numerics);
        MatchesSnapshot(record, directory, "cpu");
    }

    /// <summary>
    /// The fresh result against its snapshot: a difference fails with every changed value by its named path, old -> new,
    /// and the accept command; Snapshooter then checks the text (and, in strict mode, that a snapshot exists).
    /// </summary>
    internal static void MatchesSnapshot(ExperimentRecord record, string directory, string device, string? file = null)
    {
        var fresh = Settled(record, directory, device);
        var stored = GoldenSnapshots.Read(GoldenSnapshots.SnapshotPath(RepositoryPaths.Root, device, record.Id));
        if (GoldenSnapshots.Explain(record.Id, stored, fresh, file) is { } explanation) Assert.Fail(explanation);
        Snapshot.Match(GoldenRecord.ToText(fresh), new SnapshotFullName($"{record.Id}.snap", RepositoryPaths.SnapshotFolder(device)));
    }

    /// <summary>The fresh snapshot as it is compared: exact under portable numerics on the CPU, within GoldenTolerance elsewhere.</summary>
    internal static System.Text.Json.Nodes.JsonObject Settled(ExperimentRecord record, string directory, string device) =>
        GoldenRecord.Comparable(record, directory,
            GoldenSnapshots.Read(GoldenSnapshots.SnapshotPath(RepositoryPaths.Root, device, record.Id)));

    [SkippableTheory]
    [MemberData(nameof(ExperimentIds))]
    public void Experiment_matches_its_cuda_snapshot(string id)
    {
        Skip.IfNot(TorchSharp.torch.cuda.is_available(),
            $"CUDA is not available here: the cuda snapshot of '{id}' was not checked (run on a GPU machine with the CUDA build)");
        var folder = Path.Combine(Path.GetTempPath(), $"harness-golden-cuda-{Guid.NewGuid():N}");
        try
        {
            var (record, directory) = GoldenSnapshots.Run(RunCommands.LoadFile(RepositoryPaths.ExperimentsFile), folder, [id],
                Harness.Core.Runtime.SilentProgress.Instance, Harness.Core.Runtime.DeviceChoice.Cuda).Single(r => r.Record.Id == id);
            Assert.Equal("cuda", record.Device);
            MatchesSnapshot(record, directory, "cuda");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }
}
