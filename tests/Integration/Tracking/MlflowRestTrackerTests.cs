using System.Text.Json.Nodes;
using Harness.Core.Tracking;

namespace Harness.Tests.Integration.Tracking;

/// <summary>
/// The REST tracker under faults and what only a fake can see (retries, auth headers, an unreachable server); what a
/// real server makes of its requests is tested against one (MlflowServer/MlflowServerContractTests).
/// </summary>
public class MlflowRestTrackerTests
{
    private static MlflowRestTracker Connect(FakeMlflowServer server, Dictionary<string, string?>? environment = null) =>
        new(new Uri(server.Url), "study", environment: environment ?? new Dictionary<string, string?>(), baseDelay: TimeSpan.FromMilliseconds(1));

    private static List<JsonNode> Batches(FakeMlflowServer server) => server.Requests
        .Where(r => r.Path == "/api/2.0/mlflow/runs/log-batch").Select(r => JsonNode.Parse(r.Body)!).ToList();

    [Fact]
    public void Retries_a_503_then_succeeds_and_never_retries_a_400()
    {
        using var server = new FakeMlflowServer();
        var tracker = Connect(server);
        server.Failures["/api/2.0/mlflow/runs/log-batch"] = (503, 2);
        var run = tracker.StartRun("r", null, new Dictionary<string, string>());
        run.LogMetric("m", 1, 0);
        run.End(RunStatus.Finished);
        Assert.Equal(3, Batches(server).Count); // two refused, the third accepted

        server.Failures["/api/2.0/mlflow/runs/log-batch"] = (400, 5);
        var second = tracker.StartRun("r2", null, new Dictionary<string, string>());
        second.LogMetric("m", 1, 0);
        int before = Batches(server).Count;
        var error = Assert.Throws<TrackingException>(() => second.End(RunStatus.Finished));
        Assert.Equal(before + 1, Batches(server).Count);
        Assert.Contains("HTTP 400 INVALID_PARAMETER_VALUE: injected failure 400", error.Message);
    }

    [Fact]
    public void Sends_bearer_or_basic_auth_and_uploads_artifacts_through_the_proxy()
    {
        using var server = new FakeMlflowServer();
        var run = Connect(server, new Dictionary<string, string?> { ["MLFLOW_TRACKING_TOKEN"] = "s3cret" })
            .StartRun("r", null, new Dictionary<string, string>());
        Assert.All(server.Requests, r => Assert.Equal("Bearer s3cret", r.Authorization));
        var file = Path.Combine(Path.GetTempPath(), $"harness-artifact-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{}");
        try
        {
            run.LogArtifact(file, "tables");
            var put = server.Requests.Single(r => r.Method == "PUT");
            Assert.Equal($"/api/2.0/mlflow-artifacts/artifacts/1/{run.RunId}/artifacts/tables/{Path.GetFileName(file)}", put.Path);
            Assert.Equal("{}", put.Body);
        }
        finally
        {
            File.Delete(file);
        }

        using var basicServer = new FakeMlflowServer();
        Connect(basicServer, new Dictionary<string, string?> { ["MLFLOW_TRACKING_USERNAME"] = "ann", ["MLFLOW_TRACKING_PASSWORD"] = "pw" });
        Assert.All(basicServer.Requests, r => Assert.Equal("Basic " + Convert.ToBase64String("ann:pw"u8.ToArray()), r.Authorization));
    }

    [Fact]
    public void An_unreachable_server_is_a_clear_error_after_retries_and_the_cli_says_so_without_the_secret()
    {
        int port = FakeMlflowServer.FreePort();
        var error = Assert.Throws<TrackingException>(() => new MlflowRestTracker(new Uri($"http://127.0.0.1:{port}"), "x",
            environment: new Dictionary<string, string?>(), maxAttempts: 2, baseDelay: TimeSpan.FromMilliseconds(1)));
        Assert.Contains("cannot reach the MLflow server", error.Message);

        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), SmallSpecs.TwoSplits);
        var cli = CliRunner.Run(folder.Path, new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = $"http://127.0.0.1:{port}", ["MLFLOW_TRACKING_TOKEN"] = "topsecret",
        }, "run");
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("MLFLOW_TRACKING_URI is 'http://127.0.0.1:", cli.StdErr);
        Assert.Contains("cannot reach the MLflow server", cli.StdErr);
        Assert.DoesNotContain("topsecret", cli.All);
    }

    /// <summary>The fake answers runs/log-inputs with an HTML 404, as MLflow before 2.4 does.</summary>
    [Fact]
    public void A_server_without_dataset_inputs_still_gets_every_run_whole_and_the_run_says_so_once()
    {
        using var server = new FakeMlflowServer();
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), SmallSpecs.TwoSplits);
        var result = CliRunner.Run(folder.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = server.Url }, "run");
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("runs logged to http://127.0.0.1:", result.StdOut);
        Assert.False(Directory.Exists(folder.File("mlruns-unsent")));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(result.StdErr, "has no runs/log-inputs"));
        Assert.Single(server.Requests, r => r.Path == "/api/2.0/mlflow/runs/log-inputs"); // asked once, then not again
        Assert.Equal(3, server.Requests.Count(r => r.Path == "/api/2.0/mlflow/runs/update" && r.Body.Contains("FINISHED")));
        Assert.Equal(2, server.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/result.json", StringComparison.Ordinal)));
    }
}
