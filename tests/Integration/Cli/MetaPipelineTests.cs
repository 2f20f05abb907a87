using System.Text.Json.Nodes;

namespace Harness.Tests.Integration.Cli;

[Collection("torch")]
public class MetaPipelineTests
{
    public const string Spec = """
        project: meta-test
        tracking: { uri: none }
        datasets:
          - id: d1
            generate: { rows: 4000, turns: 2.5, seed: 1 }
          - id: d2
            generate: { rows: 2000, turns: 2.0, seed: 2 }
        experiments:
          - id: train-tasks
            kind: split
            seed: 1
            inputs: [d1]
            settings: { subsets: 6, subset_size: 200 }
          - id: test-tasks
            kind: split
            seed: 2
            inputs: [d2]
            settings: { subsets: 3, subset_size: 200 }
          - id: g
            kind: meta-train
            seed: 3
            inputs: [train-tasks]
            settings:
              optimizer: { hidden: 6, inputs: [adam-gradient, momenta], output: adam-residual, learning_rate: 0.02 }
              f: { layers: [2, 16, 1] }
              epochs: 2
              horizon: 6
              truncation: 3
              tasks_per_step: 2
              meta_loss: log-ratio
              validation_tasks: 2
              validation_horizon_factor: 2
          - id: eval
            kind: meta-test
            seed: 4
            inputs: [g, test-tasks]
            settings: { horizon: 20, evaluation_steps: [0, 10], adam_learning_rate: 0.02 }
        """;

    [Fact]
    public void Meta_training_and_testing_run_end_to_end_reproducibly_and_reuse_the_checkpoint()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec);
        var first = CliRunner.Run(folder.Path, "run", "--threads", "1");
        Assert.True(first.ExitCode == 0, first.All);

        var gDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/g")));
        foreach (var file in new[] { "g-best.pt", "g-best.json", "g-last.pt", "g-last.json", "result.json", "spec.yaml" })
            Assert.True(File.Exists(Path.Combine(gDir, file)), file);
        var checkpoint = File.ReadAllBytes(Path.Combine(gDir, "g-best.pt"));
        var evalDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/eval")));
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(evalDir, "result.json")))!["result"]!;
        var optimizers = result["optimizers"]!.AsArray();
        Assert.Equal(["g", "adam"], optimizers.Select(o => o!["optimizer"]!.GetValue<string>()));
        var gFinal = optimizers[0]!["steps"]!.AsArray().Last()!;
        Assert.Equal(20, gFinal["step"]!.GetValue<int>());
        Assert.InRange(gFinal["test_accuracy"]!.GetValue<double>(), 0.5, 1.0);
        Assert.Equal(3 * 2 + 1, File.ReadAllLines(Path.Combine(evalDir, "per-task.csv")).Length);

        // The same spec and seed give bit-identical g and results.
        var again = CliRunner.Run(folder.Path, "run", "--threads", "1", "--force");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(gDir, "g-best.pt")));
        Assert.Equal(result.ToJsonString(),
            JsonNode.Parse(File.ReadAllText(Path.Combine(evalDir, "result.json")))!["result"]!.ToJsonString());

        // A new meta-test on the cached g loads the checkpoint instead of retraining.
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Replace("horizon: 20", "horizon: 12"));
        var cached = CliRunner.Run(folder.Path, "run", "--threads", "1");
        Assert.True(cached.ExitCode == 0, cached.All);
        Assert.Contains("g: cached result reused", cached.StdOut);
        Assert.Contains("eval: running meta-test", cached.StdOut);
    }
}
