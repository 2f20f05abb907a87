namespace Harness.Tests.Integration.Cli;

[Collection("torch")]
public class BenchCommandTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bench_times_g_against_Adam_and_times_the_guard_separately_when_g_has_one(bool guarded)
    {
        using var folder = new TempFolder();
        var spec = MetaPipelineTests.Spec;
        if (guarded) spec = spec.Edit("adam-residual, learning_rate: 0.02 }", "adam-residual, learning_rate: 0.02, guard: adam-fallback, guard_tolerance: 1 }");
        File.WriteAllText(folder.File("experiments.yaml"), spec);
        var run = CliRunner.Run(folder.Path, "bench", "--experiment", "g", "--tasks", "2", "--steps", "2", "--rounds", "1", "--threads", "1", "--skip-epoch");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("g / Adam (median)", run.StdOut);
        Assert.Equal(guarded, run.StdOut.Contains("g + guard ms/step"));
        Assert.Contains("peak resident memory", run.StdOut);
    }

    [Fact]
    public void Bench_prices_portable_numerics_against_fast_in_separate_processes()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), MetaPipelineTests.Spec);
        var run = CliRunner.Run(folder.Path, "bench", "--experiment", "g", "--tasks", "2", "--steps", "2", "--rounds", "1", "--threads", "1", "--both-numerics");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("pass 2 of 2: fast numerics", run.StdOut);
        var rows = run.StdOut.Split('\n').Where(l => l.TrimStart().StartsWith('│') || l.Contains('|')).ToList();
        Assert.Contains(rows, r => r.Contains("portable") && !r.Contains('/'));
        Assert.Contains(rows, r => r.Contains("fast") && !r.Contains('/'));
        Assert.Contains(rows, r => r.Contains("portable / fast") && r.Contains('×'));
    }

    [Fact]
    public void Bench_times_a_trained_g_with_its_own_guard_from_a_checkpoint_and_names_a_missing_one()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"),
            MetaPipelineTests.Spec.Edit("adam-residual, learning_rate: 0.02 }", "adam-residual, learning_rate: 0.02, guard: adam-fallback }"));
        Assert.Equal(0, CliRunner.Run(folder.Path, "run", "g", "--threads", "1").ExitCode);
        var trained = Assert.Single(Directory.GetDirectories(folder.File("outputs/g")));
        string[] quick = ["bench", "--experiment", "g", "--tasks", "2", "--steps", "2", "--rounds", "1", "--threads", "1", "--skip-epoch"];

        var run = CliRunner.Run(folder.Path, [.. quick, "--checkpoint", trained]);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("g: trained (g-best)", run.StdOut);
        Assert.Contains("g + guard ms/step", run.StdOut);

        var missing = CliRunner.Run(folder.Path, [.. quick, "--checkpoint", folder.File("outputs/nowhere")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no checkpoint 'g-best'", missing.All);
        Assert.DoesNotContain("   at ", missing.All);
    }
}
