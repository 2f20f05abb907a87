using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Harness.Tests.Integration.Cli;

/// <summary>
/// `harness run --executor slurm` against a real one-node Slurm (scripts/slurm-local.sh up, which these tests call): the
/// golden graph gives the same bytes as a local run, and a cancelled job leaves its MLflow run KILLED and a rerun
/// completes it. Where Slurm cannot be started (no root, no apt, another OS) the tests skip and say why.
/// </summary>
[Collection("torch")]
public class SlurmClusterTests
{
    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", "slurm-local.sh"));
        start.ArgumentList.Add("up");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); return "scripts/slurm-local.sh up did not finish in 5 minutes"; }
        return process.ExitCode == 0 ? null : $"Slurm could not be started here (scripts/slurm-local.sh up: {stderr.Result.Trim()})";
    });

    private static readonly Dictionary<string, string?> NoTracking = new() { ["MLFLOW_TRACKING_URI"] = "none" };

    [SkippableFact]
    public void The_golden_graph_on_slurm_gives_the_same_bytes_as_a_local_run_and_a_rerun_submits_nothing()
    {
        Skip.If(Unavailable.Value is not null, Unavailable.Value);
        using var cluster = new TempFolder();
        using var local = new TempFolder();
        foreach (var folder in new[] { cluster, local })
            File.Copy(Path.Combine(RepositoryRoot.Path, "experiments.yaml"), folder.File("experiments.yaml"));

        var submitted = CliRunner.Run(cluster.Path, NoTracking, "run", "--executor", "slurm", "--golden", "--wait");
        Assert.True(submitted.ExitCode == 0, submitted.All);
        Assert.Contains("6 job(s) submitted", submitted.StdOut);
        Assert.Contains("6 experiment(s) done", submitted.StdOut);
        Assert.Equal(0, CliRunner.Run(local.Path, NoTracking, "run", "--golden").ExitCode);

        var onSlurm = Digests(cluster.File("outputs"));
        Assert.Equal(55, onSlurm.Count);
        Assert.Equal(Digests(local.File("outputs")), onSlurm);

        var status = CliRunner.Run(cluster.Path, NoTracking, "status", "--golden");
        Assert.True(status.ExitCode == 0, status.All);
        Assert.Contains("6 cached", status.StdOut);
        var again = CliRunner.Run(cluster.Path, NoTracking, "run", "--executor", "slurm", "--golden");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("0 job(s) submitted, 0 already in Slurm, 6 cached", again.StdOut);
    }

    /// <summary>The interrupt tests' meta-training, long enough (600 epochs, some seconds) to be cancelled while it runs.</summary>
    private static readonly string LongMetaTraining = InterruptAndResumeTests.Spec
        .Edit("project: resume-test", "project: slurm-cancel").Edit("epochs: 30", "epochs: 600");

    [SkippableFact]
    public void A_cancelled_job_leaves_its_mlflow_run_killed_its_status_failed_with_its_log_and_a_rerun_completes_it()
    {
        Skip.If(Unavailable.Value is not null, Unavailable.Value);
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), LongMetaTraining);
        var environment = new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = null };
        var submitted = CliRunner.Run(folder.Path, environment, "run", "--executor", "slurm");
        Assert.True(submitted.ExitCode == 0, submitted.All);
        var job = File.ReadAllLines(folder.File("outputs/slurm/jobs.tsv")).Single(l => l.StartsWith("g\t", StringComparison.Ordinal)).Split('\t')[2];

        // Cancel once g's job has run for a while (its MLflow run exists), as a user would.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2) && !MetaFiles(folder).Any(m => m.Contains("run_name: 'g'")))
            Thread.Sleep(200);
        Thread.Sleep(1000);
        Assert.Equal(0, Process.Start("scancel", [job])!.WaitForExitAsync().Wait(30_000) ? 0 : 1);
        clock.Restart();
        string status;
        do
        {
            Thread.Sleep(500);
            status = CliRunner.Run(folder.Path, environment, "status").StdOut;
        } while (clock.Elapsed < TimeSpan.FromMinutes(2) && !status.Contains("1 failed", StringComparison.Ordinal));
        Assert.Contains("1 failed", status);
        Assert.Contains("CANCELLED", status);
        Assert.Contains($"outputs/slurm/logs/g-", status); // the failed job names its log
        Assert.Contains(MetaFiles(folder), m => m.Contains("run_name: 'g'") && m.Contains("status: 5")); // KILLED

        var rerun = CliRunner.Run(folder.Path, environment, "run", "--executor", "slurm", "--wait");
        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Contains("1 job(s) submitted, 0 already in Slurm, 1 cached", rerun.StdOut);
        Assert.Single(Directory.GetFiles(folder.File("outputs/g"), "result.json", SearchOption.AllDirectories));
        Assert.DoesNotContain(MetaFiles(folder), m => m.Contains("status: 1"));
    }

    private static string[] MetaFiles(TempFolder folder) =>
        Directory.Exists(folder.File("mlruns"))
            ? Directory.GetFiles(folder.File("mlruns"), "meta.yaml", SearchOption.AllDirectories).Select(f => { try { return File.ReadAllText(f); } catch (IOException) { return ""; } }).ToArray()
            : [];

    /// <summary>SHA-256 of every result file (result.json without its start time and duration; timing.csv is seconds).</summary>
    private static Dictionary<string, string> Digests(string outputs)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(outputs, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(outputs, file).Replace('\\', '/');
            if (relative.StartsWith("slurm/", StringComparison.Ordinal) || Path.GetFileName(file) is "report.md" or "timing.csv" ||
                relative.Split('/').Length < 3) continue;
            if (Path.GetFileName(file) == "result.json")
            {
                var record = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
                record.Remove("started_utc");
                record.Remove("wall_seconds");
                digests[relative] = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(record.ToJsonString())));
            }
            else digests[relative] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }
        return digests;
    }
}
