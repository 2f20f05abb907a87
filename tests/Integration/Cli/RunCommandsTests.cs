using System.Text.Json.Nodes;

namespace Harness.Tests.Integration.Cli;

[Collection("torch")]
public class RunCommandsTests
{
    private static TempFolder WithSpec(string spec = SmallSpecs.TwoSplits)
    {
        var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), spec);
        return folder;
    }

    private static JsonNode Result(TempFolder folder, string id)
    {
        var dirs = Directory.GetDirectories(Path.Combine(folder.Path, "outputs", id));
        var dir = Assert.Single(dirs);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "result.json")))!;
    }

    [Fact]
    public void Run_writes_results_then_reuses_them_and_force_recomputes_identically()
    {
        using var folder = WithSpec();
        var first = CliRunner.Run(folder.Path, "run");
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("split-a: running split", first.StdOut);
        var fingerprint = Result(folder, "split-a")["result"]!["tasks_fingerprint"]!.GetValue<string>();

        var second = CliRunner.Run(folder.Path, "run");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("split-a: cached result reused", second.StdOut);
        Assert.DoesNotContain("running", second.StdOut);

        var resultPath = Directory.GetFiles(Path.Combine(folder.Path, "outputs", "split-a"), "result.json", SearchOption.AllDirectories).Single();
        var firstStart = JsonNode.Parse(File.ReadAllText(resultPath))!["started_utc"]!.GetValue<string>();
        var forced = CliRunner.Run(folder.Path, "run", "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual(firstStart, Result(folder, "split-a")["started_utc"]!.GetValue<string>()); // the fresh result replaced the old
        Assert.Contains("split-a: running split", forced.StdOut);
        Assert.Equal(fingerprint, Result(folder, "split-a")["result"]!["tasks_fingerprint"]!.GetValue<string>());
        Assert.Empty(Directory.GetDirectories(Path.Combine(folder.Path, "outputs", "split-a"), ".staging-*"));
    }

    [Fact]
    public void Run_with_ids_runs_only_those_and_list_shows_what_is_cached()
    {
        using var folder = WithSpec();
        var run = CliRunner.Run(folder.Path, "run", "split-b");
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("split-a", run.StdOut);
        var list = CliRunner.Run(folder.Path, "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"split-a\s*│ split\s*│ small\s*│ 1\s*│ [0-9a-f]{16} │ no", list.StdOut);
        Assert.Matches(@"split-b\s*│ split\s*│ small\s*│ 2\s*│ [0-9a-f]{16} │ yes", list.StdOut);
    }

    [Fact]
    public void Adding_an_experiment_never_changes_another_experiments_numbers()
    {
        using var folder = WithSpec();
        Assert.Equal(0, CliRunner.Run(folder.Path, "run", "split-a").ExitCode);
        var before = Result(folder, "split-a")["result"]!["tasks_fingerprint"]!.GetValue<string>();
        using var bigger = WithSpec(SmallSpecs.TwoSplits + """

              - id: split-c
                kind: split
                seed: 1
                inputs: [small]
                settings: { subsets: 4, subset_size: 200 }
            """);
        Assert.Equal(0, CliRunner.Run(bigger.Path, "run").ExitCode);
        Assert.Equal(before, Result(bigger, "split-a")["result"]!["tasks_fingerprint"]!.GetValue<string>());
        // Same seed and settings under another id: its own random stream, so different subsets.
        Assert.NotEqual(before, Result(bigger, "split-c")["result"]!["tasks_fingerprint"]!.GetValue<string>());
    }

    [Fact]
    public void An_experiment_naming_another_seed_stream_draws_exactly_what_that_experiment_draws()
    {
        using var folder = WithSpec(SmallSpecs.TwoSplits + """

              - id: split-c
                kind: split
                seed: 1
                seed_stream: split-a
                inputs: [small]
                settings: { subsets: 4, subset_size: 200 }
              - id: split-d
                kind: split
                seed: 1
                seed_stream: split-b
                inputs: [small]
                settings: { subsets: 4, subset_size: 200 }
            """);
        var run = CliRunner.Run(folder.Path, "run");
        Assert.True(run.ExitCode == 0, run.All);
        var a = Result(folder, "split-a")["result"]!["tasks_fingerprint"]!.GetValue<string>();
        Assert.Equal(a, Result(folder, "split-c")["result"]!["tasks_fingerprint"]!.GetValue<string>());
        Assert.NotEqual(a, Result(folder, "split-d")["result"]!["tasks_fingerprint"]!.GetValue<string>());
        var spec = File.ReadAllText(Directory.GetFiles(Path.Combine(folder.Path, "outputs", "split-c"), "spec.yaml", SearchOption.AllDirectories).Single());
        Assert.Contains("seed_stream: split-a", spec);
    }

    [Fact]
    public void Golden_runs_use_the_reduced_sizes_in_their_own_folders()
    {
        using var folder = WithSpec();
        Assert.Equal(0, CliRunner.Run(folder.Path, "run", "--golden", "split-a").ExitCode);
        var result = Result(folder, "split-a");
        Assert.True(result["golden"]!.GetValue<bool>());
        Assert.Equal(2, result["result"]!["subsets"]!.GetValue<int>());
    }

    [Fact]
    public void Mistakes_exit_2_with_located_messages_and_no_stack_trace()
    {
        using var folder = WithSpec(SmallSpecs.TwoSplits.Edit("subsets: 4", "subsets: many"));
        var validate = CliRunner.Run(folder.Path, "validate");
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("experiments.yaml:11:", validate.StdErr);
        Assert.Contains("experiments.split-a.settings.subsets: 'many' is not a whole number", validate.StdErr);
        Assert.DoesNotContain("   at ", validate.All);

        using var good = WithSpec();
        var unknown = CliRunner.Run(good.Path, "run", "split-z");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown experiment id 'split-z'", unknown.StdErr);
        Assert.Contains("declares: split-a, split-b", unknown.StdErr);

        var missingFile = CliRunner.Run(good.Path, "validate", "nope.yaml");
        Assert.Equal(2, missingFile.ExitCode);
        Assert.Contains("nope.yaml: no such experiments file", missingFile.StdErr);

        var cuda = CliRunner.Run(good.Path, "run", "--device", "cuda");
        Assert.Equal(2, cuda.ExitCode);
        Assert.Contains("CUDA is not available", cuda.StdErr);
        Assert.False(Directory.Exists(good.File("outputs/split-a")));
    }

    [Fact]
    public void Show_prints_the_resolved_spec_and_the_last_result()
    {
        using var folder = WithSpec();
        var before = CliRunner.Run(folder.Path, "show", "split-b");
        Assert.Equal(0, before.ExitCode);
        Assert.Contains("subset_size: 100", before.StdOut);
        Assert.Contains("test_fraction: 0.2", before.StdOut);
        Assert.Contains("result: none yet", before.StdOut);
        CliRunner.Run(folder.Path, "run", "split-b");
        var after = CliRunner.Run(folder.Path, "show", "split-b");
        Assert.Contains("\"tasks_fingerprint\"", after.StdOut);
    }
}

[Collection("torch")]
public class RunTrackingTests
{
    [Fact]
    public void Run_logs_a_parent_run_and_a_child_run_per_experiment_to_the_mlflow_file_store()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), SmallSpecs.TwoSplits.Edit("tracking: { uri: none }", "tracking: { uri: mlruns }"));
        var result = CliRunner.Run(folder.Path, "run");
        Assert.True(result.ExitCode == 0, result.All);
        var experiment = folder.File("mlruns/1");
        Assert.Contains("name: 'cli-test'", File.ReadAllText(Path.Combine(experiment, "meta.yaml")));
        var runs = Directory.GetDirectories(experiment).Where(d => File.Exists(Path.Combine(d, "meta.yaml"))).ToList();
        Assert.Equal(3, runs.Count);
        var names = runs.ToDictionary(d => File.ReadAllText(Path.Combine(d, "tags", "mlflow.runName")));
        var parent = names.Single(n => n.Key.StartsWith("harness run", StringComparison.Ordinal)).Value;
        foreach (var child in new[] { "split-a", "split-b" })
        {
            var dir = names[child];
            Assert.Equal(Path.GetFileName(parent), File.ReadAllText(Path.Combine(dir, "tags", "mlflow.parentRunId")));
            Assert.Contains("status: 3", File.ReadAllText(Path.Combine(dir, "meta.yaml")));
            Assert.True(File.Exists(Path.Combine(dir, "artifacts", "result.json")));
            Assert.True(File.Exists(Path.Combine(dir, "artifacts", "spec.yaml")));
            Assert.True(File.Exists(Path.Combine(dir, "params", "subsets")));
            Assert.Matches("^[0-9a-f]{16}$", File.ReadAllText(Path.Combine(dir, "tags", "harness.spec_hash")));
            Assert.StartsWith("sha256:", File.ReadAllText(Path.Combine(dir, "tags", "harness.dataset.small")));
            Assert.Contains("**split**", File.ReadAllText(Path.Combine(dir, "tags", "mlflow.note.content")));
            // The machine the bits came from: numerics mode, what is pinned, the CPU and its instruction sets.
            Assert.Equal("portable", File.ReadAllText(Path.Combine(dir, "tags", "harness.hw.numerics")));
            Assert.Contains("MKL_CBWR=AVX2,STRICT", File.ReadAllText(Path.Combine(dir, "tags", "harness.hw.pinned")));
            Assert.Contains("avx2", File.ReadAllText(Path.Combine(dir, "tags", "harness.hw.cpu_offers")));
            Assert.NotEqual("unknown", File.ReadAllText(Path.Combine(dir, "tags", "harness.hw.mkl")));
        }
        Assert.Contains("status: 3", File.ReadAllText(Path.Combine(parent, "meta.yaml")));
        var report = File.ReadAllText(folder.File("outputs/report.md"));
        Assert.Contains("| numerics | portable |", report);
        Assert.Contains("| cpu offers |", report);
        var record = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Directory.GetFiles(folder.File("outputs/split-a"), "result.json", SearchOption.AllDirectories).Single()))!;
        Assert.Equal("portable", record["numerics"]!.GetValue<string>());
        Assert.Equal("portable", record["hardware"]!["numerics"]!.GetValue<string>());

        var http = CliRunner.Run(folder.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "sqlite:///x.db" }, "run", "--force");
        Assert.Equal(2, http.ExitCode);
        Assert.Contains("MLFLOW_TRACKING_URI is 'sqlite:///x.db': unsupported scheme", http.StdErr);
    }
}
