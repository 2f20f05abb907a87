using System.Diagnostics;

namespace Harness.Tests.Integration.Cli;

[Collection("torch")]
public class InterruptAndResumeTests
{
    internal const string Spec = """
        project: resume-test
        tracking: { uri: mlruns }
        datasets:
          - id: d1
            generate: { rows: 2000, turns: 2.5, seed: 1 }
        experiments:
          - id: tasks
            kind: split
            seed: 1
            inputs: [d1]
            settings: { subsets: 6, subset_size: 100 }
          - id: g
            kind: meta-train
            seed: 3
            inputs: [tasks]
            settings:
              optimizer: { hidden: 4, inputs: [adam-gradient], output: adam-residual }
              f: { layers: [2, 8, 1] }
              epochs: 30
              horizon: 4
              truncation: 2
              tasks_per_step: 2
              validation_tasks: 2
              validation_horizon_factor: 1
        """;

    [Fact]
    public async Task Sigterm_during_meta_training_marks_the_run_killed_and_resume_finishes_bit_identical()
    {
        using var reference = new TempFolder();
        File.WriteAllText(reference.File("experiments.yaml"), Spec);
        var full = CliRunner.Run(reference.Path, "run", "--threads", "1");
        Assert.True(full.ExitCode == 0, full.All);

        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "harness.dll"), "run", "--threads", "1" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited &&
               !(Directory.Exists(folder.File("outputs/g")) &&
                 Directory.GetDirectories(folder.File("outputs/g"), ".resume-*").Any(d => Directory.GetDirectories(d, "epoch-*").Length > 0)))
            Thread.Sleep(20);
        Assert.False(process.HasExited, "the run finished before it could be interrupted: make the spec longer");
        Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("./harness run --resume", await stderr);
        Assert.DoesNotContain(Directory.GetDirectories(folder.File("outputs/g")), d => !Path.GetFileName(d).StartsWith('.')); // nothing looks complete
        var statuses = Directory.GetDirectories(folder.File("mlruns/1")).Select(d => Path.Combine(d, "meta.yaml"))
            .Where(File.Exists).Select(File.ReadAllText).ToList();
        Assert.Contains(statuses, m => m.Contains("run_name: 'g'") && m.Contains("status: 5"));

        var resumed = CliRunner.Run(folder.Path, "run", "--threads", "1", "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        string Weights(TempFolder f) => Convert.ToHexString(File.ReadAllBytes(
            Path.Combine(Directory.GetDirectories(f.File("outputs/g")).Single(d => !Path.GetFileName(d).StartsWith('.')), "g-last.pt")));
        Assert.Equal(Weights(reference), Weights(folder));
        Assert.Empty(Directory.GetDirectories(folder.File("outputs/g"), ".resume-*"));
    }

    private static Process Start(TempFolder folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static string[] MetaFiles(TempFolder folder) =>
        Directory.GetFiles(folder.File("mlruns"), "meta.yaml", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();

    /// <summary>The fault catalogue's SIGKILL case: kill mid-run, rerun, and nothing of the dead process is left behind.</summary>
    [Fact]
    public void Sigkill_mid_meta_training_leaves_nothing_that_looks_complete_and_the_next_run_cleans_up_and_gives_identical_results()
    {
        using var reference = new TempFolder();
        File.WriteAllText(reference.File("experiments.yaml"), Spec.Edit("epochs: 30", "epochs: 12"));
        Assert.Equal(0, CliRunner.Run(reference.Path, "run", "--threads", "1").ExitCode);

        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Edit("epochs: 30", "epochs: 12"));
        using var process = Start(folder, "run", "--threads", "1");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited &&
               !(Directory.Exists(folder.File("outputs/g")) &&
                 Directory.GetDirectories(folder.File("outputs/g"), ".resume-*").Any(d => Directory.GetDirectories(d, "epoch-*").Length > 0)))
            Thread.Sleep(10);
        Assert.False(process.HasExited, "the run finished before it could be killed: make the spec longer");
        process.Kill(); // SIGKILL: no handler runs
        Assert.True(process.WaitForExit(30_000));

        // Only hidden folders (staging, resume checkpoints) exist for g: no result that looks complete.
        Assert.DoesNotContain(Directory.GetDirectories(folder.File("outputs/g")), d => !Path.GetFileName(d).StartsWith('.'));
        Assert.DoesNotContain(Directory.GetFiles(folder.File("outputs/g"), "result.json", SearchOption.AllDirectories),
            f => !Path.GetFileName(Path.GetDirectoryName(f)!).StartsWith('.'));
        var list = CliRunner.Run(folder.Path, "list");
        Assert.Matches(@"\bg\b.*\bno\b", list.StdOut.Split('\n').Single(l => l.Contains("│ g ", StringComparison.Ordinal)));
        Assert.Contains(MetaFiles(folder), m => m.Contains("status: 1")); // the killed process never ended its runs
        Assert.NotEmpty(Directory.GetDirectories(folder.File("outputs/g"), ".staging-*"));

        var rerun = CliRunner.Run(folder.Path, "run", "--threads", "1");
        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Contains("run(s) of processes that died KILLED", rerun.StdOut);
        Assert.Contains("g: an interrupted run left a resume point", rerun.StdOut); // and says it starts over without --resume
        Assert.Contains("--resume continues from it", rerun.StdOut);
        Assert.Single(Directory.GetFiles(folder.File("outputs/g"), "result.json", SearchOption.AllDirectories));
        Assert.DoesNotContain(MetaFiles(folder), m => m.Contains("status: 1"));
        Assert.Contains(MetaFiles(folder), m => m.Contains("run_name: 'g'") && m.Contains("status: 5"));
        Assert.Empty(Directory.GetDirectories(folder.Path, ".staging-*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
        static string Weights(TempFolder f) => Convert.ToHexString(File.ReadAllBytes(Directory.GetFiles(f.File("outputs/g"), "g-best.pt", SearchOption.AllDirectories).Single()));
        Assert.Equal(Weights(reference), Weights(folder));
    }

    [Fact]
    public void Two_runs_in_the_same_folder_at_once_both_finish_and_corrupt_neither_outputs_nor_mlruns()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Edit("epochs: 30", "epochs: 3"));
        using var first = Start(folder, "run", "--threads", "1");
        using var second = Start(folder, "run", "--threads", "1");
        Assert.True(first.WaitForExit(120_000) && second.WaitForExit(120_000));
        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));

        // One complete result per experiment, identical to a run alone; no leftovers.
        foreach (var id in new[] { "tasks", "g" })
        {
            var complete = Directory.GetDirectories(folder.File($"outputs/{id}")).Where(d => !Path.GetFileName(d).StartsWith('.')).ToList();
            Assert.True(File.Exists(Path.Combine(Assert.Single(complete), "result.json")));
            Assert.Empty(Directory.GetDirectories(folder.File($"outputs/{id}"), ".staging-*"));
        }
        using var alone = new TempFolder();
        File.WriteAllText(alone.File("experiments.yaml"), Spec.Edit("epochs: 30", "epochs: 3"));
        Assert.Equal(0, CliRunner.Run(alone.Path, "run", "--threads", "1").ExitCode);
        static string Weights(TempFolder f) => Convert.ToHexString(File.ReadAllBytes(Directory.GetFiles(f.File("outputs/g"), "g-best.pt", SearchOption.AllDirectories).Single()));
        Assert.Equal(Weights(alone), Weights(folder));

        // MLflow: one experiment, two parent runs, every run finished with a readable meta.yaml.
        var experiments = Directory.GetDirectories(folder.File("mlruns")).Where(d => Path.GetFileName(d) is not ".trash" and not "0").ToList();
        var runs = Directory.GetDirectories(Assert.Single(experiments)).Where(d => File.Exists(Path.Combine(d, "meta.yaml"))).ToList();
        // Per process a parent, and a child per experiment it ran itself (one it found finished by the other is reused).
        Assert.Equal(2, runs.Count(r => File.ReadAllText(Path.Combine(r, "meta.yaml")).Contains("run_name: 'harness run")));
        Assert.InRange(runs.Count, 4, 6);
        Assert.All(runs, r => Assert.Contains("status: 3", File.ReadAllText(Path.Combine(r, "meta.yaml"))));
    }
}
