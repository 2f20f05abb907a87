namespace Harness.Tests.Golden;

/// <summary>Finds the repository's files from the test binaries' folder (never from PDB source paths, which CI rewrites).</summary>
public static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string ExperimentsFile => Path.Combine(Root, "experiments.yaml");

    /// <summary>The research file whose new experiments carry golden snapshots too (the generalisation matrix).</summary>
    public static string GeneralisationFile => Path.Combine(Root, "research", "generalisation.yaml");

    /// <summary>The research file with g and its comparison from three meta seeds.</summary>
    public static string SeedsFile => Path.Combine(Root, "research", "seeds.yaml");

    /// <summary>The research file with g against the baselines outside the main job.</summary>
    public static string ClassicBaselinesFile => Path.Combine(Root, "research", "classic-baselines.yaml");

    /// <summary>The research file with the study's own g, reproduced.</summary>
    public static string StudyFile => Path.Combine(Root, "research", "study.yaml");

    /// <summary>The research file with g on its full six-epoch curriculum.</summary>
    public static string LongScheduleFile => Path.Combine(Root, "research", "long-schedule.yaml");

    /// <summary>Snapshots are kept per device class: tests/Golden/cpu/__snapshots__ and tests/Golden/cuda/__snapshots__.</summary>
    public static string SnapshotFolder(string deviceClass) =>
        Path.Combine(Root, "tests", "Golden", deviceClass);
}
