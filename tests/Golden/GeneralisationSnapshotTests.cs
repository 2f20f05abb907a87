using Harness.Core.Runtime;
using Harness.Experiments.Cli;
using Harness.Experiments.Golden;
using Harness.Experiments.Runner;
using Snapshooter;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>One golden run of research/generalisation.yaml (its datasets, splits and benchmarks at golden size).</summary>
public sealed class GeneralisationFixture : IDisposable
{
    public GeneralisationFixture()
    {
        Outputs = Path.Combine(Path.GetTempPath(), $"harness-golden-generalisation-{Guid.NewGuid():N}");
        Results = GoldenSnapshots.Run(RunCommands.LoadFile(RepositoryPaths.GeneralisationFile), Outputs, [], SilentProgress.Instance)
            .ToDictionary(r => r.Record.Id, r => r.Record);
    }

    public string Outputs { get; }
    public IReadOnlyDictionary<string, ExperimentRecord> Results { get; }

    public void Dispose()
    {
        if (Directory.Exists(Outputs)) Directory.Delete(Outputs, recursive: true);
    }
}

/// <summary>
/// The generalisation matrix's experiments match their snapshots like experiments.yaml's do. Experiments the file
/// shares with experiments.yaml (the copies of g and their split) have the same id and spec, so their snapshot is that
/// file's, checked by <see cref="GoldenSnapshotTests"/>; this class checks the rest, and that the shared ones agree.
/// </summary>
[Collection("torch")]
public class GeneralisationSnapshotTests(GeneralisationFixture golden) : IClassFixture<GeneralisationFixture>
{
    private static IReadOnlySet<string> MainIds =>
        RunCommands.LoadFile(RepositoryPaths.ExperimentsFile).Experiments.Select(e => e.Id).ToHashSet();

    public static TheoryData<string> NewExperimentIds()
    {
        var data = new TheoryData<string>();
        foreach (var e in RunCommands.LoadFile(RepositoryPaths.GeneralisationFile).Experiments.Where(e => !MainIds.Contains(e.Id))) data.Add(e.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(NewExperimentIds))]
    public void Experiment_matches_its_cpu_snapshot(string id)
    {
        Snapshot.Match(GoldenRecord.ToText(GoldenSnapshotTests.Settled(golden.Results[id], "cpu")),
            new SnapshotFullName($"{id}.snap", RepositoryPaths.SnapshotFolder("cpu")));
    }

    [Fact]
    public void Experiments_shared_with_experiments_yaml_are_the_same_spec()
    {
        var main = RunCommands.LoadFile(RepositoryPaths.ExperimentsFile);
        var research = RunCommands.LoadFile(RepositoryPaths.GeneralisationFile);
        var shared = research.Experiments.Where(e => MainIds.Contains(e.Id)).ToList();
        Assert.NotEmpty(shared);
        foreach (var e in shared)
        {
            var other = main.FindExperiment(e.Id)!;
            Assert.Equal(Harness.Core.Specs.SpecHasher.CanonicalSettings(other.Settings)!.ToJsonString(),
                Harness.Core.Specs.SpecHasher.CanonicalSettings(e.Settings)!.ToJsonString());
            Assert.Equal(Harness.Core.Specs.SpecHasher.CanonicalSettings(other.GoldenSettings)!.ToJsonString(),
                Harness.Core.Specs.SpecHasher.CanonicalSettings(e.GoldenSettings)!.ToJsonString());
            Assert.Equal((other.Seed, other.RandomStream, string.Join(",", other.Inputs)), (e.Seed, e.RandomStream, string.Join(",", e.Inputs)));
            foreach (var dataset in e.Inputs.Where(i => research.FindDataset(i) is not null))
                Assert.Equal(Harness.Core.Specs.SpecHasher.CanonicalSettings(main.FindDataset(dataset)!.Generate!)!.ToJsonString(),
                    Harness.Core.Specs.SpecHasher.CanonicalSettings(research.FindDataset(dataset)!.Generate!)!.ToJsonString());
        }
        Assert.All(shared, e => Assert.True(golden.Results.ContainsKey(e.Id)));
    }
}
