using System.Globalization;
using Harness.Core;
using Harness.Core.Tracking;

namespace Harness.Tests.Integration.Tracking;

public class MlflowFileStoreTests
{
    private static Dictionary<string, string> Meta(string path) =>
        File.ReadAllLines(path).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void Writes_experiments_and_runs_in_mlflows_exact_layout()
    {
        using var folder = new TempFolder();
        var store = new MlflowFileStore(folder.File("mlruns"), "study");
        Assert.Equal("1", store.ExperimentId);
        var defaultMeta = Meta(folder.File("mlruns/0/meta.yaml"));
        Assert.Equal("'0'", defaultMeta["experiment_id"]);
        Assert.Equal("'Default'", defaultMeta["name"]);
        var experiment = Meta(folder.File("mlruns/1/meta.yaml"));
        Assert.Equal("'1'", experiment["experiment_id"]);
        Assert.Equal("'study'", experiment["name"]);
        Assert.Equal("active", experiment["lifecycle_stage"]);
        Assert.Equal($"file://{folder.File("mlruns/1")}", experiment["artifact_location"]);
        Assert.Equal("custom_model_development", File.ReadAllText(folder.File("mlruns/1/tags/mlflow.experimentKind")));
        Assert.True(Directory.Exists(folder.File("mlruns/.trash")));

        using var run = store.StartRun("split-a", "parent123", new Dictionary<string, string> { ["mlflow.user"] = "me" });
        var runDir = folder.File($"mlruns/1/{run.RunId}");
        var meta = Meta(Path.Combine(runDir, "meta.yaml"));
        Assert.Equal(run.RunId, meta["run_id"]);
        Assert.Equal(run.RunId, meta["run_uuid"]);
        Assert.Equal("1", meta["status"]);
        Assert.Equal("null", meta["end_time"]);
        Assert.Equal("4", meta["source_type"]);
        Assert.Equal("'1'", meta["experiment_id"]);
        Assert.Equal($"file://{runDir}/artifacts", meta["artifact_uri"]);
        foreach (var key in new[] { "user_id", "start_time", "lifecycle_stage", "run_name", "entry_point_name", "source_name", "source_version", "tags" })
            Assert.True(meta.ContainsKey(key), key);
        Assert.Equal("parent123", File.ReadAllText(Path.Combine(runDir, "tags/mlflow.parentRunId")));
        Assert.Equal("split-a", File.ReadAllText(Path.Combine(runDir, "tags/mlflow.runName")));

        run.End(RunStatus.Finished);
        meta = Meta(Path.Combine(runDir, "meta.yaml"));
        Assert.Equal("3", meta["status"]);
        Assert.Matches("^[0-9]+$", meta["end_time"]);
    }

    [Fact]
    public void Metrics_use_the_invariant_culture_with_NaN_infinities_and_keys_with_slashes()
    {
        using var folder = new TempFolder();
        var culture = CultureInfo.CurrentCulture;
        // A culture with a decimal comma and its own NaN and infinity symbols (the build runs with invariant
        // globalization, so named cultures like de-DE are unavailable).
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NaNSymbol = "nicht";
        comma.NumberFormat.PositiveInfinitySymbol = "∞";
        CultureInfo.CurrentCulture = comma;
        Assert.Equal("0,5", 0.5.ToString(CultureInfo.CurrentCulture));
        try
        {
            using var run = new MlflowFileStore(folder.File("mlruns"), "m").StartRun("r", null, new Dictionary<string, string>());
            run.LogMetrics([("eval/acc", 0.5, 0), ("eval/acc", 1.25e-7, 1), ("loss", double.NaN, 2),
                ("loss", double.PositiveInfinity, 3), ("loss", double.NegativeInfinity, 4)]);
            var dir = folder.File($"mlruns/1/{run.RunId}/metrics");
            var acc = File.ReadAllLines(Path.Combine(dir, "eval", "acc"));
            Assert.Matches(@"^\d+ 0\.5 0$", acc[0]);
            Assert.Matches(@"^\d+ 1\.25E-07 1$", acc[1]);
            var loss = File.ReadAllLines(Path.Combine(dir, "loss")).Select(l => l.Split(' ')[1]).ToArray();
            Assert.Equal(["NaN", "Infinity", "-Infinity"], loss);
            Assert.EndsWith("\n", File.ReadAllText(Path.Combine(dir, "loss")));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Params_are_raw_immutable_and_truncated_to_mlflows_limit_and_bad_keys_are_sanitised()
    {
        using var folder = new TempFolder();
        using var run = new MlflowFileStore(folder.File("mlruns"), "m").StartRun("r", null, new Dictionary<string, string>());
        var dir = folder.File($"mlruns/1/{run.RunId}/params");
        run.LogParams(new Dictionary<string, string> { ["optimizer.hidden"] = "20", ["long"] = new string('x', 7000), ["bad key?*"] = "v" });
        Assert.Equal("20", File.ReadAllText(Path.Combine(dir, "optimizer.hidden")));
        var truncated = File.ReadAllText(Path.Combine(dir, "long"));
        Assert.Equal(MlflowKeys.MaxParamValue, truncated.Length);
        Assert.EndsWith(MlflowKeys.TruncationMarker, truncated);
        Assert.Equal("v", File.ReadAllText(Path.Combine(dir, "bad key__")));
        run.LogParams(new Dictionary<string, string> { ["optimizer.hidden"] = "20" }); // same value: fine
        Assert.Throws<InvalidOperationException>(() => run.LogParams(new Dictionary<string, string> { ["optimizer.hidden"] = "21" }));
        Assert.True(MlflowKeys.IsValid("eval/acc"));
        Assert.False(MlflowKeys.IsValid("../x"));
        Assert.False(MlflowKeys.IsValid("/x"));
        Assert.True(MlflowKeys.IsValid(MlflowKeys.Sanitize("../a//b?")));
    }

    [Fact]
    public void A_run_disposed_without_an_end_is_marked_failed_and_an_experiment_is_found_again_by_name()
    {
        using var folder = new TempFolder();
        string id;
        using (var run = new MlflowFileStore(folder.File("mlruns"), "x").StartRun("r", null, new Dictionary<string, string>()))
            id = run.RunId;
        Assert.Equal("4", Meta(folder.File($"mlruns/1/{id}/meta.yaml"))["status"]);
        Assert.Equal("1", new MlflowFileStore(folder.File("mlruns"), "x").ExperimentId);
        Assert.Equal("2", new MlflowFileStore(folder.File("mlruns"), "y").ExperimentId);
    }

    [Fact]
    public void Concurrent_writers_create_one_experiment_and_never_share_a_run_folder()
    {
        using var folder = new TempFolder();
        var ids = new System.Collections.Concurrent.ConcurrentBag<(string Experiment, string Run)>();
        Parallel.For(0, 8, _ =>
        {
            var store = new MlflowFileStore(folder.File("mlruns"), "shared");
            using var run = store.StartRun("r", null, new Dictionary<string, string>());
            run.LogMetric("m", 1, 0);
            run.End(RunStatus.Finished);
            ids.Add((store.ExperimentId, run.RunId));
        });
        Assert.Single(ids.Select(i => i.Experiment).Distinct());
        Assert.Equal(8, ids.Select(i => i.Run).Distinct().Count());
        Assert.Equal(2, Directory.GetDirectories(folder.File("mlruns")).Count(d => Path.GetFileName(d).All(char.IsAsciiDigit)));
    }

    [Fact]
    public void An_unwritable_folder_is_a_clear_user_error()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("file"), "x");
        Assert.ThrowsAny<Exception>(() => new MlflowFileStore(folder.File("file/mlruns"), "x"));
    }
}
