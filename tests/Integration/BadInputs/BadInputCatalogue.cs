namespace Harness.Tests.Integration.BadInputs;

/// <summary>
/// One bad input: how to set it up in a fresh folder, the command, the exit code (2: the user's mistake, 1: a run that
/// failed), what the error must say (what, where, how to fix) and what it must not (a misleading follow-on).
/// </summary>
public sealed record BadInput(string Name, string[] Args, int Exit, string[] Says, Action<TempFolder>? Setup = null,
    IReadOnlyDictionary<string, string?>? Environment = null, bool NeedsTrainedG = false, string[]? NotSays = null)
{
    public override string ToString() => Name;
}

/// <summary>The catalogue: CSV files, experiments.yaml (syntax and schema), arguments, checkpoints, tracking, output folders.</summary>
public static class BadInputCatalogue
{
    /// <summary>The valid file each experiments-file case edits (a case whose edit no longer applies fails).</summary>
    public const string Spec = SmallSpecs.TwoSplits;

    private const string CsvSpec = """
        project: bad-inputs
        tracking: { uri: none }
        datasets:
          - { id: mine, csv: data.csv }
        experiments:
          - id: split-a
            kind: split
            seed: 1
            inputs: [mine]
            settings: { subsets: 1, subset_size: 4, test_fraction: 0.5 }
        """;

    private static Action<TempFolder> WithSpec(string spec) => f => File.WriteAllText(f.File("experiments.yaml"), spec);
    private static Action<TempFolder> WithSpecEdit(string from, string to) => f =>
    {
        Assert.Contains(from, Spec); // a catalogue edit that no longer applies must fail loudly, not test nothing
        File.WriteAllText(f.File("experiments.yaml"), Spec.Edit(from, to));
    };
    private static Action<TempFolder> WithCsv(string text) => f =>
    {
        File.WriteAllText(f.File("experiments.yaml"), CsvSpec);
        File.WriteAllText(f.File("data.csv"), text);
    };
    private static Action<TempFolder> WithCsvBytes(byte[] bytes) => f =>
    {
        File.WriteAllText(f.File("experiments.yaml"), CsvSpec);
        File.WriteAllBytes(f.File("data.csv"), bytes);
    };

    private const string GoodCsv = "x,y,label\n1,2,0\n2,3,1\n3,1,0\n0,1,1\n5,5,0\n6,1,1\n1,1,0\n2,2,1\n";

    private static string[] Run => ["run", "--threads", "1"];

    public static IEnumerable<BadInput> Cases()
    {
        // ---- CSV files (through a dataset in experiments.yaml, and `data show`) -------------------------------------
        yield return new("csv: file missing", Run, 2, ["data.csv", "no such"], WithSpec(CsvSpec));
        yield return new("csv: empty file", Run, 2, ["data.csv", "empty"], WithCsv(""));
        yield return new("csv: header only", Run, 2, ["data.csv:1", "no data rows"], WithCsv("x,y,label\n"));
        yield return new("csv: wrong header", Run, 2, ["data.csv", "x,y,label"], WithCsv("a,b,c\n1,2,0\n"));
        yield return new("csv: a value is not a number", Run, 2, ["data.csv:3:3", "not a number"], WithCsv("x,y,label\n1,2,0\n1,abc,1\n"));
        yield return new("csv: label is not 0 or 1", Run, 2, ["data.csv:2:5", "not 0 or 1"], WithCsv("x,y,label\n1,2,2\n1,1,1\n"));
        yield return new("csv: a row has too few columns", Run, 2, ["data.csv:3", "2 fields"], WithCsv("x,y,label\n1,2,0\n1,1\n"));
        yield return new("csv: a row has too many columns", Run, 2, ["data.csv:2", "4 fields"], WithCsv("x,y,label\n1,2,0,9\n1,1,1\n"));
        yield return new("csv: NaN coordinate", Run, 2, ["data.csv:2:1", "not finite"], WithCsv("x,y,label\nNaN,2,0\n1,1,1\n"));
        yield return new("csv: infinite coordinate", Run, 2, ["data.csv:3:3", "not finite"], WithCsv("x,y,label\n1,2,0\n1,Infinity,1\n"));
        yield return new("csv: one class only", Run, 2, ["data.csv", "class"], WithCsv("x,y,label\n1,2,0\n1,1,0\n2,2,0\n"));
        yield return new("csv: binary garbage", Run, 2, ["data.csv"], WithCsvBytes([0x00, 0xFF, 0xFE, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x00, 0x13]));
        yield return new("csv: semicolon delimited", Run, 2, ["data.csv", "x,y,label"], WithCsv("x;y;label\n1;2;0\n2;1;1\n"));
        yield return new("csv: too few rows for the split", Run, 2, ["split-a", "subset"], WithCsv("x,y,label\n1,2,0\n2,1,1\n"));
        yield return new("csv: data show of a missing file", ["data", "show", "nope.csv"], 2, ["nope.csv"]);
        yield return new("csv: data show of a malformed file", ["data", "show", "bad.csv"], 2, ["bad.csv:2", "2 fields"],
            f => File.WriteAllText(f.File("bad.csv"), "x,y,label\n1,2\n"));

        // ---- experiments.yaml: syntax -----------------------------------------------------------------------------
        yield return new("yaml: file missing", ["validate"], 2, ["experiments.yaml", "no such experiments file"]);
        yield return new("yaml: empty file", ["validate"], 2, ["experiments.yaml"], WithSpec(""));
        yield return new("yaml: tab indentation", ["validate"], 2, ["experiments.yaml:"], WithSpec("project: x\ndatasets:\n\t- id: a\n"));
        yield return new("yaml: unclosed bracket", ["validate"], 2, ["experiments.yaml:10:13", "never closed"], WithSpecEdit("inputs: [small]", "inputs: [small"));
        yield return new("yaml: unclosed quote", ["validate"], 2, ["experiments.yaml:"], WithSpecEdit("inputs: [small]", "inputs: ['small]"));
        yield return new("yaml: a second document", ["validate"], 2, ["experiments.yaml:", "second YAML document", "---"], WithSpec(Spec + "\n---\nproject: other\n"));
        yield return new("yaml: invalid UTF-8 in a comment", ["validate"], 2, ["experiments.yaml:1:17", "not UTF-8", "0xFF"],
            f => File.WriteAllBytes(f.File("experiments.yaml"), [.. "project: x # caf"u8, 0xFF, 0xFE, .. "\n"u8, .. System.Text.Encoding.UTF8.GetBytes(Spec[Spec.IndexOf('\n')..])]));
        yield return new("yaml: --file is a folder", ["validate", "--file", "sub"], 2, ["sub is a folder", "sub/experiments.yaml"], f => Directory.CreateDirectory(f.File("sub")),
            NotSays: ["no such"]);
        yield return new("yaml: duplicate key", ["validate"], 2, ["experiments.yaml:", "seed"], WithSpecEdit("seed: 1", "seed: 1\n    seed: 2"));
        yield return new("yaml: a list at the top", ["validate"], 2, ["experiments.yaml:", "mapping"], WithSpec("- a\n- b\n"));
        yield return new("yaml: binary garbage", ["validate"], 2, ["experiments.yaml"],
            f => File.WriteAllBytes(f.File("experiments.yaml"), [0xFF, 0xFE, 0x00, 0x01, 0x02, 0x7B, 0x5B]));

        // ---- experiments.yaml: schema -----------------------------------------------------------------------------
        yield return new("schema: unknown top-level key", ["validate"], 2, ["experiments.yaml:", "colour"], WithSpecEdit("project: cli-test", "project: cli-test\ncolour: blue"));
        yield return new("schema: misspelt settings key", ["validate"], 2, ["experiments.yaml:", "subset_sise", "allowed keys"], WithSpecEdit("subset_size: 200", "subset_sise: 200"));
        yield return new("schema: wrong type", ["validate"], 2, ["experiments.yaml:", "'many' is not a whole number"], WithSpecEdit("subsets: 4", "subsets: many"));
        yield return new("schema: negative count", ["validate"], 2, ["experiments.yaml:", "subsets"], WithSpecEdit("subsets: 4", "subsets: -4"));
        yield return new("schema: duplicate experiment id", ["validate"], 2, ["split-a", "duplicate id"],
            WithSpec(Spec + "\n  - id: split-a\n    kind: split\n    seed: 2\n    inputs: [small]\n    settings: { subsets: 2, subset_size: 100 }\n"));
        yield return new("schema: duplicate id of another kind", ["validate"], 2, ["split-a", "duplicate id"],
            WithSpec(Spec + "\n  - id: split-a\n    kind: meta-train\n    seed: 2\n    inputs: [split-b]\n    settings: { optimizer: { hidden: 4 }, horizon: 5, truncation: 5, validation_tasks: 1 }\n"),
            NotSays: ["InvalidCast", "failed:"]);
        yield return new("schema: duplicate id of another kind, run", Run, 2, ["split-a", "duplicate id"],
            WithSpec(Spec + "\n  - id: split-a\n    kind: meta-train\n    seed: 2\n    inputs: [split-b]\n    settings: { optimizer: { hidden: 4 }, horizon: 5, truncation: 5, validation_tasks: 1 }\n"));
        yield return new("schema: an invalid dataset gets no follow-on errors", ["validate"], 2, ["datasets.small.generate.turns", "1 problem"],
            WithSpecEdit("turns: 2.5", "turns: -1"), NotSays: ["neither a dataset"]);
        yield return new("schema: input problem without a golden block", ["validate"], 2, ["experiments.split-c.inputs", "1 problem"], WithSpec(Spec +
            "\n  - id: split-c\n    kind: split\n    seed: 2\n    inputs: [split-a]\n    settings: { subsets: 2, subset_size: 100 }\n"),
            NotSays: [".golden"]);
        yield return new("schema: empty baselines", ["validate"], 2, ["experiments.yaml:", "baselines", "one or more"], WithSpec(MetaSpec("baselines: []")));
        yield return new("schema: the deferred guard with minibatches", ["validate"], 2,
            ["experiments.cmp.settings.controls", "g-deferred-guard", "different minibatches", "leave batch_size out"],
            WithSpec(MetaSpec("baselines: [adam], batch_size: 32, controls: [g-deferred-guard]")));
        yield return new("schema: unknown control", ["validate"], 2, ["'g-late'", "g-no-guard, adam-with-g-guard, g-deferred-guard"],
            WithSpec(MetaSpec("baselines: [adam], controls: [g-late]")));
        yield return new("schema: a baseline listed twice", ["validate"], 2, ["experiments.yaml:", "'adam' is listed 2 times"], WithSpec(MetaSpec("baselines: [adam, adam]")));
        yield return new("schema: evaluation steps beyond the horizon", ["validate"], 2, ["experiments.yaml:", "evaluation_steps", "beyond the horizon (20)"],
            WithSpec(MetaSpec().Edit("evaluation_steps: [0, 10]", "evaluation_steps: [0, 10, 50]")));
        yield return new("schema: experiment name too long for MLflow", ["validate"], 2, ["600 characters", "1-500"],
            WithSpec(Spec.Edit("project: cli-test\ntracking: { uri: none }", "project: " + new string('p', 600) + "\ntracking: { uri: mlruns }")));
        yield return new("schema: unsupported tracking scheme", ["validate"], 2, ["s3://bucket", "unsupported scheme"],
            WithSpecEdit("tracking: { uri: none }", "tracking: { uri: 's3://bucket' }"));
        yield return new("tracking: unsupported scheme in the environment, validate", ["validate"], 2, ["MLFLOW_TRACKING_URI", "unsupported scheme"], WithSpec(Spec),
            new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "ftp://example.org/mlflow" });
        yield return new("schema: unknown kind", ["validate"], 2, ["experiments.yaml:", "splat", "split"], WithSpecEdit("kind: split", "kind: splat"));
        yield return new("schema: unknown input", ["validate"], 2, ["experiments.yaml:", "nothing"], WithSpecEdit("inputs: [small]", "inputs: [nothing]"));
        yield return new("schema: inputs form a cycle", ["validate"], 2, ["cycle"], WithSpec(Spec.Edit("inputs: [small]", "inputs: [split-b]") +
            "\n  - id: split-b\n    kind: split\n    seed: 2\n    inputs: [split-a]\n    settings: { subsets: 2, subset_size: 100 }\n"));
        yield return new("schema: input of the wrong kind", ["validate"], 2, ["split-b"], WithSpec(Spec +
            "\n  - id: split-b\n    kind: split\n    seed: 2\n    inputs: [split-a]\n    settings: { subsets: 2, subset_size: 100 }\n"));
        yield return new("schema: seed missing", ["validate"], 2, ["experiments.yaml:", "seed"], WithSpecEdit("    seed: 1\n", ""));
        yield return new("schema: seed not an integer", ["validate"], 2, ["experiments.yaml:", "seed"], WithSpecEdit("seed: 1", "seed: 1.5"));
        yield return new("schema: unknown enum value", ["validate"], 2, ["experiments.yaml:", "standardization", "zscore"], WithSpecEdit("subset_size: 200", "subset_size: 200, standardization: minmax"));
        yield return new("schema: fraction out of range", ["validate"], 2, ["experiments.yaml:", "test_fraction"], WithSpecEdit("subset_size: 200", "subset_size: 200, test_fraction: 1.5"));
        yield return new("schema: no experiments", ["validate"], 2, ["experiments.yaml:", "experiments"], WithSpec("project: x\ntracking: { uri: none }\ndatasets: []\n"));
        yield return new("schema: dataset with both generate and csv", ["validate"], 2, ["experiments.yaml:", "exactly one of"], WithSpecEdit("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { rows: 2000, turns: 2.5, seed: 3 }\n    csv: d.csv"));
        yield return new("schema: unknown preset", ["validate"], 2, ["experiments.yaml:", "dataset9"], WithSpecEdit("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { preset: dataset9, seed: 3 }"));
        yield return new("schema: truncation longer than horizon", ["validate"], 2, ["truncation", "horizon"], WithSpec(Spec +
            "\n  - id: g\n    kind: meta-train\n    seed: 3\n    inputs: [split-a]\n    settings: { optimizer: { hidden: 4 }, horizon: 5, truncation: 10, validation_tasks: 1 }\n"));
        yield return new("schema: horizon past its limit", ["validate"], 2, ["horizon", "1..1,000,000"], WithSpec(Spec +
            "\n  - id: g\n    kind: meta-train\n    seed: 3\n    inputs: [split-a]\n    settings: { optimizer: { hidden: 4 }, horizon: 1000000000, truncation: 10, validation_tasks: 1 }\n"));
        yield return new("schema: truncation past its limit", ["validate"], 2, ["truncation", "at most 10,000"], WithSpec(Spec +
            "\n  - id: g\n    kind: meta-train\n    seed: 3\n    inputs: [split-a]\n    settings: { optimizer: { hidden: 4 }, horizon: 20000, truncation: 20000, validation_tasks: 1, validation_horizon_factor: 1 }\n"));
        yield return new("schema: empty horizon schedule", ["validate"], 2, ["horizon_schedule"], WithSpec(Spec +
            "\n  - id: g\n    kind: meta-train\n    seed: 3\n    inputs: [split-a]\n    settings: { optimizer: { hidden: 4 }, horizon: 10, truncation: 5, horizon_schedule: [], validation_tasks: 1 }\n"));
        yield return new("schema: unknown guard", ["validate"], 2, ["experiments.yaml:", "guard", "adam-fallback"],
            WithSpec(MetaSpec().Edit("adam-residual, learning_rate: 0.02 }", "adam-residual, learning_rate: 0.02, guard: adam }")));
        yield return new("schema: negative guard tolerance", ["validate"], 2, ["experiments.yaml:", "guard_tolerance", "≥ 0"],
            WithSpec(MetaSpec().Edit("adam-residual, learning_rate: 0.02 }", "adam-residual, learning_rate: 0.02, guard: adam-fallback, guard_tolerance: -0.1 }")));
        yield return new("schema: unknown baseline", ["validate"], 2, ["adamax"], WithSpec(MetaSpec("baselines: [adamax]")));

        // ---- command-line arguments -------------------------------------------------------------------------------
        yield return new("args: unknown verb", ["fly"], 2, ["fly", "--help"], WithSpec(Spec));
        yield return new("args: unknown option", ["run", "--thread", "2"], 2, ["--thread"], WithSpec(Spec));
        yield return new("args: zero threads", ["run", "--threads", "0"], 2, ["--threads", "≥ 1"], WithSpec(Spec));
        yield return new("args: threads not a number", ["run", "--threads", "two"], 2, ["two"], WithSpec(Spec));
        yield return new("args: unknown device", ["run", "--device", "tpu"], 2, ["tpu", "cpu"], WithSpec(Spec));
        yield return new("args: cuda absent", ["run", "--device", "cuda"], 2, ["CUDA is not available"], WithSpec(Spec));
        yield return new("args: unknown numerics mode", ["run", "--numerics", "exact"], 2, ["exact", "portable", "fast"], WithSpec(Spec));
        yield return new("args: portable numerics on a CPU without AVX2", ["run", "--threads", "1"], 2, ["AVX2", "--numerics fast"], WithSpec(Spec),
            new Dictionary<string, string?> { ["DOTNET_EnableAVX2"] = "0" });
        yield return new("args: golden accept under fast numerics", ["golden", "accept", "--numerics", "fast"], 2, ["exact layer", "--numerics fast"],
            f => Directory.CreateDirectory(f.File("tests/Golden")));
        yield return new("args: unknown experiment id", ["run", "split-z"], 2, ["unknown experiment id 'split-z'", "split-a"], WithSpec(Spec));
        yield return new("args: unknown option after the ids", ["run", "split-a", "--forse"], 2, ["unknown option '--forse'", "--help"], WithSpec(Spec),
            NotSays: ["unknown experiment id"]);
        yield return new("args: too many threads", ["run", "--threads", "1024"], 2, ["--threads", "at most 256"], WithSpec(Spec));
        yield return new("args: alpha out of range", ["regress", "--baseline", "b.csv", "--alpha", "1.5"], 2, ["--alpha", "between 0 and 1"], WithSpec(MetaSpec()));
        yield return new("args: too many rows", ["data", "generate", "--family", "moons", "--rows", "100000000", "--out", "x.csv"], 2, ["--rows", "at most 10,000,000"]);
        yield return new("args: data show of a folder", ["data", "show", "sub"], 2, ["sub is a folder"], f => Directory.CreateDirectory(f.File("sub")), NotSays: ["no such"]);
        yield return new("args: --file missing", ["validate", "--file", "other.yaml"], 2, ["other.yaml"], WithSpec(Spec));
        yield return new("args: golden outside the repository", ["golden", "check"], 2, ["tests/Golden", "repository root"], WithSpec(Spec));
        yield return new("args: bench on a non-meta-train experiment", ["bench", "--experiment", "split-a"], 2, ["split-a", "not a meta-train"], WithSpec(Spec));
        yield return new("args: bench with zero tasks", ["bench", "--experiment", "g", "--tasks", "0"], 2, ["--tasks"], WithSpec(MetaSpec()));
        yield return new("args: regress baseline missing", ["regress", "--baseline", "nowhere", "--experiment", "cmp"], 2, ["nowhere"], WithSpec(MetaSpec()));
        yield return new("args: unknown data preset", ["data", "generate", "--preset", "dataset9", "--out", "x.csv"], 2, ["dataset9"]);
        yield return new("args: odd row count", ["data", "generate", "--preset", "dataset1", "--rows", "7", "--out", "x.csv"], 2, ["rows", "even"]);
        yield return new("args: unknown data family", ["data", "generate", "--family", "spiralz", "--rows", "100", "--out", "x.csv"], 2, ["spiralz", "--family", "moons"]);
        yield return new("args: family key that does not apply", ["data", "generate", "--family", "moons", "--rows", "100", "--cells", "3", "--out", "x.csv"], 2, ["--cells", "does not apply to family moons"]);
        yield return new("args: family without rows", ["data", "show", "--family", "blobs"], 2, ["--rows"]);
        yield return new("args: blobs overlap out of range", ["data", "show", "--family", "blobs", "--rows", "100", "--overlap", "0.9"], 2, ["--overlap", "0.5"]);
        yield return new("args: a preset with another family", ["data", "generate", "--preset", "dataset1", "--family", "xor", "--out", "x.csv"], 2, ["presets are spirals"]);
        yield return new("args: bench horizon too short", ["bench", "--experiment", "g", "--horizon", "3"], 2, ["--horizon"], WithSpec(MetaSpec()));
        yield return new("schema: unknown dataset family", ["validate"], 2, ["experiments.yaml:", "datasets.small.generate.family", "moons"],
            WithSpecEdit("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { family: moon, rows: 2000, seed: 3 }"));
        yield return new("schema: label noise out of range", ["validate"], 2, ["experiments.yaml:", "label_noise", "[0, 0.5)"],
            WithSpecEdit("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { rows: 2000, turns: 2.5, label_noise: 0.7 }"));
        yield return new("csv: header without a label column", ["data", "show", "wide.csv"], 2, ["wide.csv:1", "missing column 'label'"],
            f => File.WriteAllText(f.File("wide.csv"), "a,b,c\n1,2,3\n"));
        yield return new("args: elman sizes missing", ["shapes", "--elman", "4"], 2, ["--elman"]);
        yield return new("regress: baseline cut mid-row", ["regress", "--baseline", "per-task.csv", "--experiment", "cmp"], 2, ["per-task.csv:3", "cut short"],
            f => { WithSpec(MetaSpec())(f); File.WriteAllText(f.File("per-task.csv"), RegressBaseline[..^7]); });
        yield return new("regress: baseline with NaN where nothing diverged", ["regress", "--baseline", "per-task.csv", "--experiment", "cmp"], 2, ["per-task.csv:3", "NaN"],
            f => { WithSpec(MetaSpec())(f); File.WriteAllText(f.File("per-task.csv"), RegressBaseline.Replace(",0.25,false,", ",NaN,false,")); });
        yield return new("regress: baseline row with a missing field", ["regress", "--baseline", "per-task.csv", "--experiment", "cmp"], 2, ["per-task.csv:2", "fields"],
            f => { WithSpec(MetaSpec())(f); File.WriteAllText(f.File("per-task.csv"), RegressBaseline.Replace("g,evaluations,20,,0,0,", "g,evaluations,20,0,0,")); });
        yield return new("args: push of a missing folder", ["mlflow", "push", "nowhere", "--to", "mlruns"], 2, ["nowhere", "no such folder"], WithSpec(Spec));

        // ---- Slurm (the executor's options and the file's slurm: block) ------------------------------------------------
        yield return new("slurm: unknown executor", ["run", "--executor", "kubernetes"], 2, ["kubernetes", "local", "slurm"], WithSpec(Spec));
        yield return new("slurm: --wait without the slurm executor", ["run", "--wait"], 2, ["--wait", "--executor slurm"], WithSpec(Spec));
        yield return new("slurm: a memory size Slurm does not read", ["run", "--executor", "slurm", "--mem", "lots"], 2, ["--mem", "'lots'", "8G"], WithSpec(Spec));
        yield return new("slurm: --force with the slurm executor", ["run", "--executor", "slurm", "--force"], 2, ["--force", "local executor"], WithSpec(Spec));
        yield return new("slurm: sbatch not on PATH", ["run", "--executor", "slurm"], 2, ["sbatch is not on PATH", "slurm-local.sh up"], WithSpec(Spec),
            new Dictionary<string, string?> { ["PATH"] = "/nonexistent-bin" });
        yield return new("slurm: unknown kind in the slurm block", ["validate"], 2, ["experiments.yaml:", "slurm.meta_train", "meta-train"],
            WithSpecEdit("tracking: { uri: none }", "tracking: { uri: none }\nslurm:\n  meta_train: { cpus: 2 }"));
        yield return new("slurm: a time limit Slurm does not read", ["validate"], 2, ["experiments.yaml:", "slurm.defaults.time", "HH:MM:SS"],
            WithSpecEdit("tracking: { uri: none }", "tracking: { uri: none }\nslurm:\n  defaults: { time: 4h }"));

        // ---- checkpoints of g (a cached meta-train whose files were damaged or swapped) ----------------------------
        yield return new("checkpoint: garbage", ["run", "eval", "--threads", "1"], 2, ["g-best.pt", "--force"], f => Damage(f, bytes => [.. "not a checkpoint"u8]), NeedsTrainedG: true);
        yield return new("checkpoint: truncated", ["run", "eval", "--threads", "1"], 2, ["g-best.pt", "--force"], f => Damage(f, bytes => bytes[..(bytes.Length / 2)]), NeedsTrainedG: true);
        yield return new("checkpoint: empty", ["run", "eval", "--threads", "1"], 2, ["g-best.pt", "--force"], f => Damage(f, _ => []), NeedsTrainedG: true);
        yield return new("checkpoint: another g's configuration", ["run", "eval", "--threads", "1"], 2, ["g-best.pt"], f => Swap(f), NeedsTrainedG: true);
        yield return new("checkpoint: settings file missing", ["run", "eval", "--threads", "1"], 2, ["g-best", "--force"], f => RemoveSettings(f), NeedsTrainedG: true);

        // ---- tracking URIs ---------------------------------------------------------------------------------------
        yield return new("tracking: unreachable server", Run, 2, ["MLFLOW_TRACKING_URI", "cannot reach the MLflow server"], WithSpec(Spec),
            new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = $"http://127.0.0.1:{Tracking.FakeMlflowServer.FreePort()}" });
        yield return new("tracking: wrong scheme", Run, 2, ["ftp://", "unsupported scheme"], WithSpec(Spec),
            new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "ftp://example.org/mlflow" });
        yield return new("tracking: malformed URL", Run, 2, ["not a valid URL"], WithSpec(Spec),
            new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "http://exa mple:99999" });
        yield return new("tracking: database URI", Run, 2, ["sqlite", "unsupported scheme"], WithSpec(Spec),
            new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "sqlite:///mlflow.db" });
        yield return new("tracking: bad credentials", Run, 2, ["401", "credentials"], WithSpec(Spec),
            new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "{unauthorized}", ["MLFLOW_TRACKING_TOKEN"] = "wrong-token-123" });

        yield return new("tracking: bad user name and password", Run, 2, ["401", "MLFLOW_TRACKING_PASSWORD"], WithSpec(Spec),
            new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "{unauthorized}", ["MLFLOW_TRACKING_USERNAME"] = "ada", ["MLFLOW_TRACKING_PASSWORD"] = "pa55-w0rd-xyz" });

        // ---- output folders ----------------------------------------------------------------------------------------
        yield return new("outputs: a file where the folder should be", Run, 2, ["outputs", "not a folder"],
            f => { WithSpec(Spec)(f); File.WriteAllText(f.File("outputs"), "x"); });
        yield return new("outputs: read-only file system", ["run", "--threads", "1", "--outputs", "/proc/harness-outputs"], 2,
            ["/proc/harness-outputs", "cannot write"], WithSpec(Spec));
        yield return new("outputs: the tracking folder is a file", Run, 2, ["MLflow file store", "is a file, not a folder", "MLFLOW_TRACKING_URI"],
            f => { WithSpec(Spec)(f); File.WriteAllText(f.File("store"), "x"); }, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "store" });
        yield return new("outputs: the tracking folder is under a file", Run, 2, ["store/sub", "store is a file"],
            f => { WithSpec(Spec)(f); File.WriteAllText(f.File("store"), "x"); }, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "store/sub" });
        yield return new("outputs: the outputs folder is under a file", ["run", "--threads", "1", "--outputs", "x/out"], 2, ["x/out", "is a file"],
            f => { WithSpec(Spec)(f); File.WriteAllText(f.File("x"), "x"); });
        yield return new("outputs: data generate --out a folder", ["data", "generate", "--preset", "dataset1", "--rows", "100", "--out", "sub"], 2, ["--out sub is a folder"],
            f => Directory.CreateDirectory(f.File("sub")));
        yield return new("outputs: data generate --out under a file", ["data", "generate", "--preset", "dataset1", "--rows", "100", "--out", "x/a.csv"], 2, ["x/a.csv", "is a file"],
            f => File.WriteAllText(f.File("x"), "x"));
        yield return new("outputs: data show --plot a folder", ["data", "show", "--preset", "dataset1", "--rows", "100", "--plot", "sub"], 2, ["--plot sub is a folder"],
            f => Directory.CreateDirectory(f.File("sub")));
        yield return new("outputs: disk full", Run, 1, ["no space left", "nothing"], WithSpec(Spec),
            new Dictionary<string, string?> { ["HARNESS_FAULT"] = "disk-full" });
    }

    /// <summary>A whole two-row per-task.csv of g (rows 2 and 3), for the damaged-baseline cases to damage.</summary>
    private const string RegressBaseline =
        "optimizer,budget,horizon,learning_rate,task,init,steps,forward_passes,backward_passes,final_train_loss,diverged,accuracy,loss\n" +
        "g,evaluations,20,,0,0,15,20,15,0.5,false,0.9,0.4\n" +
        "g,evaluations,20,,1,0,15,20,15,0.25,false,0.9,0.3\n";

    /// <summary>A small meta-train → compare pipeline (for checkpoint and compare cases).</summary>
    public static string MetaSpec(string compareExtra = "baselines: [adam]") => Cli.MetaPipelineTests.Spec
        .Edit("baselines: [sgd, adam]", compareExtra);

    private static string BestCheckpoint(TempFolder f) => Directory.GetFiles(f.File("outputs/g"), "g-best.pt", SearchOption.AllDirectories).Single();

    private static void Damage(TempFolder f, Func<byte[], byte[]> damage)
    {
        var path = BestCheckpoint(f);
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));
    }

    private static void Swap(TempFolder f)
    {
        var other = Directory.GetFiles(f.File("outputs/g-wide"), "g-best.pt", SearchOption.AllDirectories).Single();
        File.Copy(other, BestCheckpoint(f), overwrite: true);
    }

    private static void RemoveSettings(TempFolder f)
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(BestCheckpoint(f))!, "g-best*").Where(p => !p.EndsWith(".pt", StringComparison.Ordinal)))
            File.Delete(file);
    }
}
