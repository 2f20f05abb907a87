using System.Text.Json.Nodes;

namespace Harness.Tests.Integration.Tracking;

[Collection("torch")]
public class TrackingOutageTests
{
    [Fact]
    public void A_server_that_goes_down_mid_run_loses_nothing_the_runs_spill_locally_and_push_re_sends_them()
    {
        using var server = new FakeMlflowServer { DownAfterRequests = 12 };
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Cli.MetaPipelineTests.Spec);
        var environment = new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = server.Url, ["MLFLOW_TRACKING_TOKEN"] = "s3cret-token" };

        var run = CliRunner.Run(folder.Path, environment, "run", "cmp", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("stopped answering", run.StdErr);
        Assert.Contains("./harness mlflow push mlruns-unsent", run.StdErr);
        Assert.Contains("nothing is lost", run.StdErr);
        Assert.DoesNotContain("s3cret-token", run.All);

        // Every run (the parent, one per experiment, and the compare's run per optimizer and horizon) either finished on
        // the server before the outage or is whole in the spill folder: finished, with params, metrics and artifacts.
        var spilled = Directory.GetFiles(folder.File("mlruns-unsent"), "meta.yaml", SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName).Where(d => Directory.Exists(Path.Combine(d!, "artifacts"))).ToList();
        static string RunName(string? d) => File.ReadAllLines(Path.Combine(d!, "meta.yaml")).Single(l => l.StartsWith("run_name:")).Split('\'')[1];
        var optimizerRuns = spilled.Select(RunName).Where(n => n.StartsWith("cmp/", StringComparison.Ordinal)).ToList();
        var optimizers = optimizerRuns.Select(n => n["cmp/".Length..n.LastIndexOf(" T=", StringComparison.Ordinal)]).Distinct().ToList();
        Assert.Contains("g", optimizers);
        Assert.Contains("adam", optimizers);
        Assert.Equal(optimizers.SelectMany(o => new[] { $"cmp/{o} T=5", $"cmp/{o} T=10" }).Order(), optimizerRuns.Order());
        int finishedOnServer = server.Requests.Take(12).Count(r => r.Path == "/api/2.0/mlflow/runs/update" && r.Body.Contains("FINISHED"));
        Assert.Equal(5, spilled.Count - optimizerRuns.Count + finishedOnServer);
        Assert.InRange(spilled.Count - optimizerRuns.Count, 2, 5);
        Assert.All(spilled, d => Assert.Contains("status: 3", File.ReadAllText(Path.Combine(d!, "meta.yaml"))));
        var cmp = spilled.Single(d => File.ReadAllText(Path.Combine(d!, "meta.yaml")).Contains("run_name: 'cmp'"));
        Assert.True(File.Exists(Path.Combine(cmp!, "artifacts", "comparison.md")));
        Assert.True(Directory.GetFiles(Path.Combine(cmp!, "metrics"), "*", SearchOption.AllDirectories).Length > 0);
        Assert.True(File.Exists(Path.Combine(cmp!, "params", "horizons")));
        Assert.Contains(spilled, d => File.Exists(Path.Combine(d!, "artifacts", "report.md")));
        var all = string.Join("\n", Directory.GetFiles(folder.File("mlruns-unsent"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".png", StringComparison.Ordinal) && !f.EndsWith(".pt", StringComparison.Ordinal)).Select(File.ReadAllText));
        Assert.DoesNotContain("s3cret-token", all);

        // The server is back: push sends the spilled runs once. A run the server already held (made before the outage)
        // is completed, not sent again; the others are created under their parent. A second push sends nothing.
        server.DownAfterRequests = null;
        var continued = spilled.Count(d => File.Exists(Path.Combine(d!, "harness-remote-run")));
        Assert.True(continued >= 1, "the parent run was made on the server before the outage");
        Assert.Contains(server.Runs.Values, r => r.Status == "RUNNING"); // what the outage left behind
        int before = server.Requests.Count(r => r.Path == "/api/2.0/mlflow/runs/create");
        var push = CliRunner.Run(folder.Path, environment, "mlflow", "push");
        Assert.True(push.ExitCode == 0, push.All);
        Assert.Contains($"sent {spilled.Count} run(s)", push.StdOut);
        Assert.Equal(before + spilled.Count - continued, server.Requests.Count(r => r.Path == "/api/2.0/mlflow/runs/create"));
        Assert.Contains(server.Requests, r => r.Method == "PUT" && r.Path.EndsWith("/comparison.md", StringComparison.Ordinal));

        // The server's state: each run once, every child under a parent the server holds, every status final, times kept.
        var runs = server.Runs.Values.ToList();
        Assert.Equal(5 + optimizerRuns.Count, runs.Count);
        Assert.Equal(runs.Count, runs.Select(r => r.Name).Distinct().Count());
        Assert.All(runs, r => Assert.Equal("FINISHED", r.Status));
        var parent = Assert.Single(runs, r => r.Parent is null);
        var cmpRun = Assert.Single(runs, r => r.Name == "cmp");
        string IdOf(FakeMlflowServer.Run run) => server.Runs.Single(x => x.Value == run).Key;
        Assert.All(runs.Where(r => r.Parent is not null),
            r => Assert.Equal(IdOf(r.Name.StartsWith("cmp/", StringComparison.Ordinal) ? cmpRun : parent), r.Parent));
        Assert.All(runs, r => Assert.True(r.EndTime >= r.StartTime && r.StartTime > 0, $"{r.Name}: {r.StartTime}..{r.EndTime}"));
        var again = CliRunner.Run(folder.Path, environment, "mlflow", "push");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("sent 0 run(s)", again.StdOut);
        Assert.Contains($"{spilled.Count} had been sent before", again.StdOut);
    }
}
