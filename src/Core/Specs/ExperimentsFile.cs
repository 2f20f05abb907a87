namespace Harness.Core.Specs;

/// <summary>
/// A validated experiments.yaml: the project's datasets and experiments, in file order (a matrix item's members in
/// its place). Matrices maps each matrix item's id to its members' ids.
/// </summary>
public sealed record ExperimentsFile(
    string Path,
    string Project,
    TrackingSpec Tracking,
    IReadOnlyList<DatasetSpec> Datasets,
    IReadOnlyList<ExperimentSpec> Experiments,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Matrices = null,
    SlurmSpec? Slurm = null)
{
    public SlurmSpec SlurmBlock => Slurm ?? SlurmSpec.Empty;

    public DatasetSpec? FindDataset(string id) => Datasets.FirstOrDefault(d => d.Id == id);
    public ExperimentSpec? FindExperiment(string id) => Experiments.FirstOrDefault(e => e.Id == id);

    /// <summary>The experiments an id names: itself, or every member when it is a matrix item's id.</summary>
    public IReadOnlyList<string>? Resolve(string id) =>
        FindExperiment(id) is not null ? [id] : Matrices?.GetValueOrDefault(id);
}

/// <summary>
/// Where runs are logged: an MLflow tracking URI (a folder or file: URI for the file store, or http(s)). TimeoutSeconds
/// bounds how long one request to a server may take, retries included; past it the run gives up on the server and
/// writes its runs to the spill folder, so a server that accepts connections and never answers costs at most that.
/// SystemMetricsSeconds is the interval of MLflow system metrics (CPU, memory) on each experiment's run; 0 turns them off.
/// </summary>
public sealed record TrackingSpec(string Uri = "mlruns", string? ExperimentName = null, double TimeoutSeconds = TrackingSpec.DefaultTimeoutSeconds,
    double SystemMetricsSeconds = TrackingSpec.DefaultSystemMetricsSeconds)
    : Harness.Core.Configuration.IValidatableSettings
{
    public const double DefaultTimeoutSeconds = 30;
    public const double MaxTimeoutSeconds = 3600;
    public const double DefaultSystemMetricsSeconds = 10;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (!(TimeoutSeconds >= 0.1 && TimeoutSeconds <= MaxTimeoutSeconds))
            yield return ("timeout_seconds", $"must be between 0.1 and {MaxTimeoutSeconds:0} seconds (got {TimeoutSeconds})");
        if (!(SystemMetricsSeconds == 0 || (SystemMetricsSeconds >= 1 && SystemMetricsSeconds <= MaxTimeoutSeconds)))
            yield return ("system_metrics_seconds", $"must be 0 (off) or between 1 and {MaxTimeoutSeconds:0} seconds (got {SystemMetricsSeconds})");
    }
}

/// <summary>A dataset: drawn by a seeded generator, or loaded from a CSV file (path relative to the spec file).</summary>
public sealed record DatasetSpec(string Id, GeneratedDatasetSpec? Generate, string? CsvPath, int Line);

/// <summary>
/// Generator settings: a family (default spirals) with its shape parameters, or a spiral preset, the shared
/// transforms (rotation, label_noise, extra_dims) and the seed. See <see cref="Harness.Core.Data.GeneratorSettings"/>.
/// </summary>
public sealed record GeneratedDatasetSpec(
    string? Preset = null,
    ulong Seed = 1,
    Harness.Core.Data.DatasetFamily? Family = null,
    int? Rows = null,
    double? Turns = null,
    double? Pitch = null,
    double? Offset = null,
    double? Noise = null,
    int? Cells = null,
    double? Overlap = null,
    double? Factor = null,
    double Rotation = 0,
    double LabelNoise = 0,
    int ExtraDims = 0);

/// <summary>
/// One declared experiment. Settings is the kind's settings record at full size; GoldenSettings the same record with
/// the `golden` block's overrides (the reduced size the golden tests and `run --golden` use).
/// Every random draw derives from (Seed, RandomStream). The stream is the id unless `seed_stream` names another:
/// ablation arms that share a stream share f's inits, task order and augmentations (common random numbers), so
/// their difference is the lever's, not the draw's.
/// </summary>
public sealed record ExperimentSpec(
    string Id,
    string Kind,
    ulong Seed,
    IReadOnlyList<string> Inputs,
    object Settings,
    object GoldenSettings,
    int Line,
    string? SeedStream = null,
    bool Sealed = false)
{
    public object SettingsFor(bool golden) => golden ? GoldenSettings : Settings;

    /// <summary>The name random draws derive from, with Seed.</summary>
    public string RandomStream => SeedStream ?? Id;
}
