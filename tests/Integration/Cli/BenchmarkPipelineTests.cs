using System.Text.Json.Nodes;
using Harness.Core.Data;

namespace Harness.Tests.Integration.Cli;

/// <summary>
/// Task families end to end: generated families and a wide CSV become splits, one g trains f's of other shapes and
/// widths in a benchmark, minibatched too (where its deferred guard acts immediately), and the matrix lands in the outputs and in nested MLflow runs.
/// </summary>
[Collection("torch")]
public class BenchmarkPipelineTests
{
    private const string Spec = """
        project: bench-test
        tracking: { uri: mlruns }
        datasets:
          - { id: spirals, generate: { rows: 2000, turns: 2.0, seed: 1 } }
          - { id: moons, generate: { family: moons, rows: 1000, seed: 2 } }
          - { id: wide, csv: wide.csv }
        experiments:
          - { id: train, kind: split, seed: 1, inputs: [spirals], settings: { subsets: 6, subset_size: 200 } }
          - { id: moons-tasks, kind: split, seed: 2, inputs: [moons], settings: { subsets: 3, subset_size: 200 } }
          - { id: wide-tasks, kind: split, seed: 3, inputs: [wide], settings: { subsets: 3, subset_size: 200 } }
          - id: g
            kind: meta-train
            seed: 3
            inputs: [train]
            settings:
              optimizer: { hidden: 6, inputs: [adam-gradient], output: adam-residual, learning_rate: 0.02, guard: deferred-adam-fallback }
              f: { layers: [2, 16, 1] }
              epochs: 1
              horizon: 6
              truncation: 3
              tasks_per_step: 2
              meta_loss: log-ratio
              validation_tasks: 2
              validation_horizon_factor: 2
          - id: bench
            kind: benchmark
            seed: 9
            inputs: [g, moons-tasks, wide-tasks]
            settings:
              horizons: [4, 8]
              baselines: [adam]
              learning_rates: [0.01, 0.1]
              tuning_tasks: 2
              curve_every: 4
              task_sets:
                - { id: moons-tanh, train: moons-tasks, test: moons-tasks, f: { layers: [2, 8, 8, 1], activation: tanh } }
                - { id: wide-minibatch, train: wide-tasks, test: wide-tasks, batch_size: 16, guard_on: full }
        """;

    [Fact]
    public void A_benchmark_writes_the_matrix_and_a_nested_run_per_task_set()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec);
        CsvDatasetWriter.Write(DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Circles, 1000, ExtraDims: 2), 4, "wide"),
            folder.File("wide.csv"));
        var run = CliRunner.Run(folder.Path, "run", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);

        var dir = Assert.Single(Directory.GetDirectories(folder.File("outputs/bench")));
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "result.json")))!["result"]!;
        var sets = result["task_sets"]!.AsArray();
        Assert.Equal(["moons-tanh", "wide-minibatch"], sets.Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal("[2, 8, 8, 1] tanh, full batch", sets[0]!["shape"]!.GetValue<string>());
        Assert.Equal("[4, 16, 1] relu, batch 16", sets[1]!["shape"]!.GetValue<string>()); // g's hidden sizes, the CSV's 4 features
        var matrix = result["matrix"]!.AsArray();
        Assert.Equal(4, matrix.Count); // 2 task sets × 2 horizons
        Assert.All(matrix, c => Assert.InRange(c!["win_rate"]!.GetValue<double>(), 0, 1));
        // g's guard is deferred: on full batches it checks nothing itself (a forward pass per step, plus one per step
        // it undoes); with minibatches it checks each step at once, as adam-fallback does (at least two per step).
        double GForward(string set) => matrix.First(c => c!["task_set"]!.GetValue<string>() == set)!["g_forward_passes_per_step"]!.GetValue<double>();
        Assert.InRange(GForward("moons-tanh"), 1, 1.99);
        Assert.True(GForward("wide-minibatch") >= 2, $"{GForward("wide-minibatch")} forward passes per step");
        foreach (var file in new[] { "comparison.md", "matrix.csv", "generalisation.png", "task-sets/moons-tanh/comparison.md",
                     "task-sets/wide-minibatch/curves.csv", "task-sets/wide-minibatch/loss-curves-T8.png" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        // curve_every 4: steps 0, 4, 8 only.
        var steps = File.ReadAllLines(Path.Combine(dir, "task-sets/wide-minibatch/curves.csv")).Skip(1)
            .Where(l => l.StartsWith("g,8,", StringComparison.Ordinal)).Select(l => l.Split(',')[2]).ToList();
        Assert.Equal(["0", "4", "8"], steps);
        Assert.Contains("| moons-tanh | [2, 8, 8, 1] tanh, full batch |", File.ReadAllText(Path.Combine(dir, "comparison.md")));

        // MLflow: the benchmark's run holds the matrix; each task set is a run nested under it.
        var runs = Directory.GetDirectories(folder.File("mlruns/1")).Where(d => File.Exists(Path.Combine(d, "meta.yaml")))
            .ToDictionary(d => File.ReadAllText(Path.Combine(d, "tags", "mlflow.runName")));
        var benchRun = runs["bench"];
        Assert.True(File.Exists(Path.Combine(benchRun, "metrics", "moons-tanh", "win_rate")));
        foreach (var set in new[] { "moons-tanh", "wide-minibatch" })
        {
            var child = runs[$"bench/{set}"];
            Assert.Equal(Path.GetFileName(benchRun), File.ReadAllText(Path.Combine(child, "tags", "mlflow.parentRunId")));
            Assert.Contains("status: 3", File.ReadAllText(Path.Combine(child, "meta.yaml")));
            Assert.True(File.Exists(Path.Combine(child, "params", "shape")));
            Assert.True(File.Exists(Path.Combine(child, "artifacts", "comparison.md")));
            Assert.True(Directory.Exists(Path.Combine(child, "metrics", "T8")));
        }

        // The same spec and seed give the same matrix.
        var again = CliRunner.Run(folder.Path, "run", "--threads", "1", "--force", "bench");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(result.ToJsonString(), JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "result.json")))!["result"]!.ToJsonString());
    }
}
