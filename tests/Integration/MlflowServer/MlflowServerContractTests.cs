using System.Text.Json.Nodes;
using Harness.Core.Tracking;
using Harness.Experiments.Kinds;
using static Harness.Tests.Integration.MlflowServer.RealMlflowServer;

namespace Harness.Tests.Integration.MlflowServer;

/// <summary>
/// Harness against a real MLflow server (3.6.1, ../shared/mlflow/mlflow-server.sh) and MLflow's own Python reader:
/// what a user browses — one child run per optimizer, dataset inputs, notes that fit, system metrics — and that a
/// push keeps every time. The fake server stays for fault injection only. Skip with the reason where no server runs.
/// </summary>
[Collection("torch")]
public class MlflowServerContractTests
{
    private static (TempFolder Folder, string Experiment) GoldenFolder(string tracking)
    {
        var folder = new TempFolder();
        var experiment = $"contract-{Guid.NewGuid():N}";
        File.WriteAllText(folder.File("experiments.yaml"), File.ReadAllText(Path.Combine(RepositoryRoot.Path, "experiments.yaml"))
            .Edit("  uri: mlruns ", $"  uri: {tracking}\n  experiment_name: {experiment}\n  # "));
        return (folder, experiment);
    }

    private static readonly Dictionary<string, string?> FromFile = new() { ["MLFLOW_TRACKING_URI"] = null };

    [SkippableFact]
    public void A_golden_run_on_the_server_has_a_child_run_per_optimizer_with_the_same_names_dataset_inputs_and_notes_that_fit()
    {
        SkipUnlessAvailable();
        var (folder, experiment) = GoldenFolder(Url);
        using var _ = folder;
        var run = CliRunner.Run(folder.Path, FromFile, "run", "--golden");
        Assert.True(run.ExitCode == 0, run.All);

        var runs = Runs(experiment);
        Assert.Equal(1 + 6 + 2 * 14, runs.Count); // parent, six experiments, 7 optimizers × 2 horizons under each compare
        Assert.All(runs, r => Assert.Equal("FINISHED", r["info"]!["status"]!.GetValue<string>()));
        var compare = runs.Single(r => Name(r) == "compare-harness");
        var children = runs.Where(r => Tag(r, "mlflow.parentRunId") == Id(compare)).ToList();
        Assert.Equal(14, children.Count);
        Assert.Contains(children, c => Name(c) == "compare-harness/adam T=6");
        Assert.Contains(children, c => Name(c) == "compare-harness/g T=3");
        Assert.All(children, c => Assert.Contains($"={Id(c)}", Tag(compare, CompareTracking.ChildrenTag)));

        // The same param and metric names for every optimizer: MLflow's compare view overlays them.
        static HashSet<string> Keys(JsonNode r, string kind) =>
            (r["data"]?[kind]?.AsArray() ?? []).Select(p => p!["key"]!.GetValue<string>()).ToHashSet();
        Assert.All(children, c => Assert.Equal(["budget", "horizon", "learning_rate", "optimizer", "rate_at_grid_edge"], Keys(c, "params").Order()));
        foreach (var key in new[] { "test_loss", "test_accuracy", "test_f1", "test_roc_auc", "f_forward_passes", "diverged" })
            Assert.All(children, c => Assert.Contains(key, Keys(c, "metrics")));
        // A line search's trace counts cost only under an evaluation budget: it has no per-step curve.
        Assert.All(children.Where(c => !Name(c).Contains("lbfgs-wolfe", StringComparison.Ordinal)), c => Assert.Contains("train_loss", Keys(c, "metrics")));
        var adam = children.Single(c => Name(c) == "compare-harness/adam T=6");
        Assert.True(double.TryParse(adam["data"]!["params"]!.AsArray().Single(p => p!["key"]!.GetValue<string>() == "learning_rate")!["value"]!.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture, out var rate) && rate > 0);
        var curve = History(Id(adam), "train_loss");
        Assert.True(curve.Count >= 6, $"{curve.Count} points");
        Assert.Equal(curve.Count, curve.Select(p => p.Step).Distinct().Count());
        Assert.Contains("speedup_iqm_evaluations", Keys(children.Single(c => Name(c) == "compare-harness/g T=6"), "metrics"));
        Assert.DoesNotContain(Keys(compare, "metrics"), k => k.EndsWith("/mean_train_loss", StringComparison.Ordinal));
        Assert.Contains("T6/g_vs_adam/test_loss_win_rate", Keys(compare, "metrics"));

        // Dataset inputs, with their contexts, on the compare run and its children.
        static List<(string Name, string Digest, string Context)> Inputs(JsonNode r) =>
            (Api($"api/2.0/mlflow/runs/get?run_id={Id(r)}")["run"]!["inputs"]?["dataset_inputs"]?.AsArray() ?? [])
            .Select(d => (d!["dataset"]!["name"]!.GetValue<string>(), d["dataset"]!["digest"]!.GetValue<string>(),
                d["tags"]?.AsArray().FirstOrDefault(t => t!["key"]!.GetValue<string>() == DatasetInput.ContextTag)?["value"]?.GetValue<string>() ?? ""))
            .OrderBy(d => d.Item1).ToList();
        var read = Inputs(compare);
        Assert.Equal([("split-train", "training"), ("split-validation", "test")], read.Select(d => (d.Name, d.Context)));
        Assert.All(read, d => Assert.Matches("^[0-9a-f]{16}$", d.Digest));
        Assert.Equal(read, Inputs(adam));
        Assert.Equal([("dataset1", "source")], Inputs(runs.Single(r => Name(r) == "split-train")).Select(d => (d.Name, d.Context)));

        // The note is the headline and names the rendered tables; they are artifacts.
        var note = Tag(compare, "mlflow.note.content");
        Assert.InRange(note.Length, 100, MlflowKeys.MaxRunTagValue);
        Assert.Contains("| T | g | strongest baseline |", note);
        Assert.Contains("`comparison.html`", note);
        Assert.DoesNotContain(MlflowKeys.TruncationMarker, note);
        var artifacts = Api($"api/2.0/mlflow/artifacts/list?run_id={Id(compare)}")["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()).ToList();
        Assert.Contains("comparison.html", artifacts);
        Assert.Contains("comparison.md", artifacts);
    }

    [SkippableFact]
    public void A_push_keeps_start_and_end_times_every_metric_timestamp_and_the_dataset_inputs()
    {
        SkipUnlessAvailable();
        var (folder, experiment) = GoldenFolder("mlruns");
        using var _ = folder;
        Assert.Equal(0, CliRunner.Run(folder.Path, FromFile, "run", "--golden", "meta-train-harness").ExitCode);
        var local = new MlflowFileStore(folder.File("mlruns"), experiment);
        var store = folder.File($"mlruns/{local.ExperimentId}");
        var push = CliRunner.Run(folder.Path, FromFile, "mlflow", "push", "mlruns", "--to", Url);
        Assert.True(push.ExitCode == 0, push.All);

        var sent = Runs(experiment);
        Assert.Equal(3, sent.Count); // harness run, split-train, meta-train-harness
        foreach (var run in sent)
        {
            var mine = Directory.EnumerateDirectories(store).Single(d => File.Exists(Path.Combine(d, "tags", "mlflow.runName")) &&
                                                                       File.ReadAllText(Path.Combine(d, "tags", "mlflow.runName")) == Name(run));
            var meta = File.ReadAllLines(Path.Combine(mine, "meta.yaml")).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
            Assert.Equal(meta["start_time"], run["info"]!["start_time"]!.ToString());
            Assert.Equal(meta["end_time"], run["info"]!["end_time"]!.ToString());
        }
        var g = sent.Single(r => Name(r) == "meta-train-harness");
        var mineG = Directory.EnumerateDirectories(store).Single(d => File.Exists(Path.Combine(d, "tags", "mlflow.runName")) &&
                                                                    File.ReadAllText(Path.Combine(d, "tags", "mlflow.runName")) == "meta-train-harness");
        var metricFile = Directory.EnumerateFiles(Path.Combine(mineG, "metrics"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var key = Path.GetRelativePath(Path.Combine(mineG, "metrics"), metricFile).Replace(Path.DirectorySeparatorChar, '/');
        var written = File.ReadAllLines(metricFile).Select(l => l.Split(' ')).Select(p => (long.Parse(p[2]), long.Parse(p[0]))).Order().ToList();
        Assert.Equal(written, History(Id(g), key).Select(p => (p.Step, p.Timestamp)).Order().ToList());
        var inputs = Api($"api/2.0/mlflow/runs/get?run_id={Id(g)}")["run"]!["inputs"]!["dataset_inputs"]!.AsArray();
        Assert.Equal("split-train", Assert.Single(inputs)!["dataset"]!["name"]!.GetValue<string>());
    }

    [SkippableFact]
    public void The_rest_tracker_creates_its_experiment_once_and_sends_2500_points_within_the_servers_limits_with_NaN_kept()
    {
        SkipUnlessAvailable();
        var experiment = $"contract-{Guid.NewGuid():N}";
        var first = new MlflowRestTracker(new Uri(Url), experiment);
        var parent = first.StartRun("harness run", null, new Dictionary<string, string>());
        var tracker = new MlflowRestTracker(new Uri(Url), experiment); // finds it by name
        var run = tracker.StartRun("meta-train", parent.RunId, new Dictionary<string, string> { ["harness.seed"] = "7" });
        run.LogMetrics(Enumerable.Range(0, 2499).Select(i => ("meta_loss", (double)i, (long)i)).Append(("loss", double.NaN, 0L)));
        run.End(RunStatus.Finished);
        parent.End(RunStatus.Finished);

        var found = Api("api/2.0/mlflow/experiments/search", new JsonObject { ["filter"] = $"name = '{experiment}'", ["max_results"] = 10 })["experiments"]!.AsArray();
        Assert.Equal("custom_model_development", Assert.Single(found)!["tags"]!.AsArray()
            .Single(t => t!["key"]!.GetValue<string>() == "mlflow.experimentKind")!["value"]!.GetValue<string>());
        var history = History(run.RunId, "meta_loss");
        Assert.Equal(Enumerable.Range(0, 2499).Select(i => (long)i), history.Select(p => p.Step).Order());
        Assert.All(history, p => Assert.Equal(p.Step, (long)p.Value));
        Assert.True(double.IsNaN(Assert.Single(History(run.RunId, "loss")).Value));
        var stored = Api($"api/2.0/mlflow/runs/get?run_id={run.RunId}")["run"]!;
        Assert.Equal("FINISHED", stored["info"]!["status"]!.GetValue<string>());
        Assert.Equal(parent.RunId, Tag(stored, "mlflow.parentRunId"));
        Assert.Equal("meta-train", Name(stored));
        Assert.Equal("7", Tag(stored, "harness.seed"));
    }

    [SkippableFact]
    public void System_metrics_reach_the_server_under_mlflows_names_step_by_step()
    {
        SkipUnlessAvailable();
        var experiment = $"contract-{Guid.NewGuid():N}";
        var tracker = new MlflowRestTracker(new Uri(Url), experiment);
        var run = tracker.StartRun("sampled", null, new Dictionary<string, string>());
        using (var sampler = SystemMetrics.Manual(run))
        {
            sampler.Sample();
            sampler.Sample();
        }
        run.End(RunStatus.Finished);
        foreach (var key in new[] { "system/cpu_utilization_percentage", "system/system_memory_usage_megabytes", "system/system_memory_usage_percentage",
                     "system/process_resident_memory_megabytes" })
        {
            var points = History(run.RunId, key);
            Assert.Equal([0L, 1L], points.Select(p => p.Step).Order());
            Assert.All(points, p => Assert.True(p.Value >= 0 && (!key.EndsWith("percentage", StringComparison.Ordinal) || p.Value <= 100), $"{key} = {p.Value}"));
        }
    }

    /// <summary>MLflow's own FileStore reader over the file store Harness writes: every run, dataset and nesting, no warning.</summary>
    [SkippableFact]
    public void Mlflows_own_reader_reads_the_file_store_harness_writes_with_its_datasets_children_and_no_warning()
    {
        Skip.If(Script is null, "no ../shared/mlflow/mlflow-server.sh (MLflow's Python reader) beside the repository");
        var (folder, experiment) = GoldenFolder("mlruns");
        using var _ = folder;
        Assert.Equal(0, CliRunner.Run(folder.Path, FromFile, "run", "--golden").ExitCode);
        var read = Python("""
            import sys, json, logging, warnings
            warnings.simplefilter("ignore", FutureWarning)   # MLflow deprecates the file store itself
            logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
            from mlflow.tracking import MlflowClient
            client = MlflowClient(tracking_uri="file://" + sys.argv[1])
            exp = client.get_experiment_by_name(sys.argv[2])
            runs = client.search_runs([exp.experiment_id], max_results=5000)
            by_id = {r.info.run_id: r for r in runs}
            out = []
            for r in runs:
                parent = r.data.tags.get("mlflow.parentRunId")
                out.append({"name": r.info.run_name, "status": r.info.status, "parent": by_id[parent].info.run_name if parent in by_id else None,
                            "datasets": sorted([d.dataset.name, d.dataset.digest, d.tags[0].value, json.loads(d.dataset.profile)["num_rows"]]
                                               for d in r.inputs.dataset_inputs),
                            "metrics": len(r.data.metrics)})
            print(json.dumps(out))
            """, folder.File("mlruns"), experiment);
        Assert.True(read.ExitCode == 0, read.All);
        Assert.DoesNotContain("WARNING", read.StdErr);
        var runs = JsonNode.Parse(read.StdOut.Trim().Split('\n')[^1])!.AsArray();
        Assert.Equal(35, runs.Count);
        Assert.All(runs, r => Assert.Equal("FINISHED", r!["status"]!.GetValue<string>()));
        Assert.Equal(14, runs.Count(r => r!["parent"]?.GetValue<string>() == "compare-harness-sealed"));
        var split = runs.Single(r => r!["name"]!.GetValue<string>() == "split-train")!["datasets"]!.AsArray();
        Assert.Equal("dataset1", Assert.Single(split)![0]!.GetValue<string>());
        var sealedInputs = runs.Single(r => r!["name"]!.GetValue<string>() == "compare-harness-sealed")!["datasets"]!.AsArray();
        Assert.Equal(["split-sealed", "split-train"], sealedInputs.Select(d => d![0]!.GetValue<string>()).Order());
    }
}
