using System.Diagnostics;

namespace Harness.Tests.Integration.Cli;

[Collection("torch")]
public class InterruptAndResumeTests
{
    private const string Spec = """
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
}
