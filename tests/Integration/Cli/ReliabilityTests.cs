namespace Harness.Tests.Integration.Cli;

/// <summary>How the CLI behaves around mistakes and failures that are not a single bad input.</summary>
[Collection("torch")]
public class ReliabilityTests
{
    [Fact]
    public void Verbose_prints_the_trace_of_an_internal_failure_and_still_exits_1()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), SmallSpecs.TwoSplits);
        var run = CliRunner.Run(folder.Path, new Dictionary<string, string?> { ["HARNESS_FAULT"] = "disk-full" },
            "run", "--threads", "1", "--verbose");
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}:\n{run.All}");
        Assert.Contains("failed: IOException: split-a: writing its result failed (No space left on device", run.StdErr);
        Assert.Contains("   at ", run.StdErr); // the trace, for a bug report
        Assert.DoesNotContain("Unhandled exception", run.All);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_folder_the_user_called_from()
    {
        using var repository = new TempFolder();
        using var caller = new TempFolder();
        var run = CliRunner.Run(repository.Path, new Dictionary<string, string?> { ["HARNESS_CALLER_DIR"] = caller.Path },
            "data", "generate", "--preset", "dataset1", "--rows", "100", "--out", "a.csv");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.True(File.Exists(caller.File("a.csv")), run.All);
        Assert.False(File.Exists(repository.File("a.csv")));
        Assert.Contains("to a.csv", run.StdOut);
    }

    [Fact]
    public void The_harness_script_passes_the_callers_folder_before_it_changes_folder()
    {
        var script = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "harness"));
        int export = Array.FindIndex(script, l => l.StartsWith("export HARNESS_CALLER_DIR=\"$PWD\"", StringComparison.Ordinal));
        int cd = Array.FindIndex(script, l => l.Trim() == "cd \"$root\"");
        Assert.True(export >= 0 && cd > export, "the script must export HARNESS_CALLER_DIR=\"$PWD\" before cd \"$root\"");
    }
}
