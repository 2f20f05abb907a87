using System.Diagnostics;

namespace Harness.Tests.Integration.Tracking;

/// <summary>A server that accepts connections and never answers costs a run the declared timeout, said aloud, then spills.</summary>
[Collection("torch")]
public class StalledServerTests
{
    [Fact]
    public void A_server_that_stops_answering_mid_run_is_waited_for_at_most_the_timeout_and_the_runs_spill()
    {
        using var server = new FakeMlflowServer { StallAfterRequests = 8 };
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"),
            Cli.MetaPipelineTests.Spec.Edit("tracking: { uri: none }", "tracking: { uri: none, timeout_seconds: 2 }"));
        var clock = Stopwatch.StartNew();
        var run = CliRunner.Run(folder.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = server.Url }, "run", "cmp", "--threads", "1");
        clock.Stop();

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("tracking: waiting for the MLflow server at", run.StdErr);
        Assert.Contains("after 2 s in all (tracking.timeout_seconds)", run.StdErr);
        Assert.Contains("within 2 s (tracking.timeout_seconds)", run.StdErr); // why it was given up
        Assert.Contains("runs written to", run.StdOut);
        Assert.DoesNotContain("runs logged to", run.StdOut);
        Assert.NotEmpty(Directory.GetFiles(folder.File("mlruns-unsent"), "meta.yaml", SearchOption.AllDirectories));
        // Bounded: one 2-second wait, not 5 attempts × a 60-second socket timeout per request (the unbounded run took 618 s).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(150), $"{clock.Elapsed.TotalSeconds:F0} s");
        Assert.Equal(9, server.Requests.Count); // nothing more was sent once it was given up
    }

    [Fact]
    public void A_timeout_out_of_range_is_a_located_error()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), SmallSpecs.TwoSplits.Edit("tracking: { uri: none }", "tracking: { uri: none, timeout_seconds: 0 }"));
        var validate = CliRunner.Run(folder.Path, "validate");
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("experiments.yaml:2:", validate.StdErr);
        Assert.Contains("tracking.timeout_seconds", validate.StdErr);
    }
}
