using Harness.Core.Runtime;
using Harness.Experiments.Cli;
using Harness.Experiments.Golden;
using Harness.Experiments.Runner;
using Snapshooter;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>One golden run of a research file (its datasets, splits and experiments at golden size).</summary>
public abstract class ResearchFileFixture : IDisposable
{
    protected ResearchFileFixture(string file)
    {
        File = file;
        Outputs = Path.Combine(Path.GetTempPath(), $"harness-golden-{Path.GetFileNameWithoutExtension(file)}-{Guid.NewGuid():N}");
        Results = GoldenSnapshots.Run(RunCommands.LoadFile(file), Outputs, [], SilentProgress.Instance)
            .ToDictionary(r => r.Record.Id);
    }

    public string File { get; }
    public string Outputs { get; }
    public IReadOnlyDictionary<string, (ExperimentRecord Record, string Directory)> Results { get; }

    public void Dispose()
    {
        if (Directory.Exists(Outputs)) Directory.Delete(Outputs, recursive: true);
    }
}

public sealed class GeneralisationFixture() : ResearchFileFixture(RepositoryPaths.GeneralisationFile);

public sealed class SeedsFixture() : ResearchFileFixture(RepositoryPaths.SeedsFile);

public sealed class ClassicBaselinesFixture() : ResearchFileFixture(RepositoryPaths.ClassicBaselinesFile);

public sealed class StudyFixture() : ResearchFileFixture(RepositoryPaths.StudyFile);

public sealed class LongScheduleFixture() : ResearchFileFixture(RepositoryPaths.LongScheduleFile);

/// <summary>
/// A research file's experiments match their snapshots like experiments.yaml's do. Experiments the file shares with
/// experiments.yaml (same id) must be the same spec, so their snapshot is that file's, checked by
/// <see cref="GoldenSnapshotTests"/>; the rest have snapshots of their own.
/// </summary>
public abstract class ResearchFileSnapshotTests<TFixture>(TFixture golden) where TFixture : ResearchFileFixture
{
    protected static IReadOnlySet<string> MainIds =>
        RunCommands.LoadFile(RepositoryPaths.ExperimentsFile).Experiments.Select(e => e.Id).ToHashSet();

    protected static TheoryData<string> NewExperimentIdsOf(string file)
    {
        var data = new TheoryData<string>();
        foreach (var e in RunCommands.LoadFile(file).Experiments.Where(e => !MainIds.Contains(e.Id))) data.Add(e.Id);
        return data;
    }

    protected void MatchesItsSnapshot(string id) =>
        GoldenSnapshotTests.MatchesSnapshot(golden.Results[id].Record, golden.Results[id].Directory, "cpu",
            Path.GetRelativePath(RepositoryPaths.Root, golden.File));

    [Fact]
    public void Experiments_shared_with_experiments_yaml_are_the_same_spec()
    {
        var main = RunCommands.LoadFile(RepositoryPaths.ExperimentsFile);
        var research = RunCommands.LoadFile(golden.File);
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

/// <summary>research/generalisation.yaml: the generalisation matrix.</summary>
[Collection("torch")]
public class GeneralisationSnapshotTests(GeneralisationFixture golden)
    : ResearchFileSnapshotTests<GeneralisationFixture>(golden), IClassFixture<GeneralisationFixture>
{
    public static TheoryData<string> NewExperimentIds() => NewExperimentIdsOf(RepositoryPaths.GeneralisationFile);

    [Theory]
    [MemberData(nameof(NewExperimentIds))]
    public void Experiment_matches_its_cpu_snapshot(string id) => MatchesItsSnapshot(id);
}

/// <summary>research/seeds.yaml: g and its comparison from three meta seeds.</summary>
[Collection("torch")]
public class SeedsSnapshotTests(SeedsFixture golden)
    : ResearchFileSnapshotTests<SeedsFixture>(golden), IClassFixture<SeedsFixture>
{
    public static TheoryData<string> NewExperimentIds() => NewExperimentIdsOf(RepositoryPaths.SeedsFile);

    [Theory]
    [MemberData(nameof(NewExperimentIds))]
    public void Experiment_matches_its_cpu_snapshot(string id) => MatchesItsSnapshot(id);
}

/// <summary>research/classic-baselines.yaml: g against the baselines outside the main job.</summary>
[Collection("torch")]
public class ClassicBaselinesSnapshotTests(ClassicBaselinesFixture golden)
    : ResearchFileSnapshotTests<ClassicBaselinesFixture>(golden), IClassFixture<ClassicBaselinesFixture>
{
    public static TheoryData<string> NewExperimentIds() => NewExperimentIdsOf(RepositoryPaths.ClassicBaselinesFile);

    [Theory]
    [MemberData(nameof(NewExperimentIds))]
    public void Experiment_matches_its_cpu_snapshot(string id) => MatchesItsSnapshot(id);
}

/// <summary>research/study.yaml: the study's own g, reproduced.</summary>
[Collection("torch")]
public class StudySnapshotTests(StudyFixture golden)
    : ResearchFileSnapshotTests<StudyFixture>(golden), IClassFixture<StudyFixture>
{
    public static TheoryData<string> NewExperimentIds() => NewExperimentIdsOf(RepositoryPaths.StudyFile);

    [Theory]
    [MemberData(nameof(NewExperimentIds))]
    public void Experiment_matches_its_cpu_snapshot(string id) => MatchesItsSnapshot(id);
}

/// <summary>research/long-schedule.yaml: g on its full six-epoch curriculum.</summary>
[Collection("torch")]
public class LongScheduleSnapshotTests(LongScheduleFixture golden)
    : ResearchFileSnapshotTests<LongScheduleFixture>(golden), IClassFixture<LongScheduleFixture>
{
    public static TheoryData<string> NewExperimentIds() => NewExperimentIdsOf(RepositoryPaths.LongScheduleFile);

    [Theory]
    [MemberData(nameof(NewExperimentIds))]
    public void Experiment_matches_its_cpu_snapshot(string id) => MatchesItsSnapshot(id);
}
