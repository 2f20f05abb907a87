using System.Text;

namespace Harness.Tests.Integration.Tracking;

/// <summary>A password written into the tracking URL authenticates and is never shown or stored.</summary>
[Collection("torch")]
public class TrackingSecretsTests
{
    private const string Secret = "pa55-w0rd-in-url";

    [Fact]
    public void Credentials_in_the_url_are_sent_as_basic_auth_and_appear_in_no_output_param_tag_artifact_or_spilled_run()
    {
        using var server = new FakeMlflowServer { DownAfterRequests = 12 }; // an outage mid-run: runs spill locally
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Cli.MetaPipelineTests.Spec);
        var url = server.Url.Replace("http://", $"http://ada:{Secret}@", StringComparison.Ordinal);
        var environment = new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = url };

        var run = CliRunner.Run(folder.Path, environment, "run", "cmp", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("stopped answering", run.StdErr);
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"ada:{Secret}"));
        Assert.All(server.Requests, r => Assert.Equal(basic, r.Authorization));
        server.DownAfterRequests = null;
        var push = CliRunner.Run(folder.Path, environment, "mlflow", "push");
        Assert.True(push.ExitCode == 0, push.All);

        Assert.DoesNotContain(Secret, run.All + push.All);
        Assert.DoesNotContain(server.Requests, r => r.Body.Contains(Secret, StringComparison.Ordinal) || r.Path.Contains(Secret, StringComparison.Ordinal));
        var written = Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).ToList(); // outputs/, mlruns-unsent/ (params, tags, artifacts)
        Assert.Contains(written, f => f.Contains("mlruns-unsent", StringComparison.Ordinal) && f.EndsWith("harness.spilled_from", StringComparison.Ordinal));
        Assert.All(written, f => Assert.False(File.ReadAllText(f).Contains(Secret, StringComparison.Ordinal), $"{f} holds the password"));
        var spilledFrom = written.First(f => f.EndsWith("harness.spilled_from", StringComparison.Ordinal));
        Assert.Equal(server.Url.TrimEnd('/'), File.ReadAllText(spilledFrom));
    }
}
