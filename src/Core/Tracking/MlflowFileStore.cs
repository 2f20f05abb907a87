using System.Globalization;
using System.Text;
using Harness.Core.Runtime;

namespace Harness.Core.Tracking;

/// <summary>
/// MLflow's file store (mlruns/), written exactly as MLflow reads it (see shared/mlflow-format.md): numeric experiment
/// folders, run meta.yaml with integer status and run_uuid, absolute file:// artifact URIs, metric lines in the
/// invariant culture. Browse with `MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri ./mlruns`.
/// Two processes may log into the same folder: experiment creation is serialised by a lock file, and every run
/// writes only inside its own folder (meta files are replaced atomically).
/// </summary>
public sealed class MlflowFileStore : ITracker
{
    private readonly string _root;
    private readonly string _experimentId;

    public MlflowFileStore(string root, string experimentName)
    {
        _root = Path.GetFullPath(root);
        if (experimentName.Length is 0 or > MlflowKeys.MaxExperimentName)
            throw new UserInputException($"MLflow experiment name must have 1-{MlflowKeys.MaxExperimentName} characters (got {experimentName.Length}).");
        UserPaths.EnsureFolderTarget(_root, "the MLflow file store", "choose another folder with tracking.uri or MLFLOW_TRACKING_URI");
        try
        {
            Directory.CreateDirectory(Path.Combine(_root, ".trash"));
            _experimentId = WithLock(() =>
            {
                EnsureExperiment("0", "Default");
                return FindExperiment(experimentName) ?? CreateExperiment(experimentName);
            });
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UserInputException($"cannot write the MLflow file store at {_root}: {e.Message}. " +
                                         "Choose a writable folder with tracking.uri or MLFLOW_TRACKING_URI.");
        }
    }

    public string Location => _root;
    public string ExperimentId => _experimentId;

    public ITrackedRun StartRun(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags) =>
        StartRunAt(runName, parentRunId, tags, Now());

    public ITrackedRun StartRunAt(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags, long startTimeMs)
    {
        var run = new FileRun(this, Guid.NewGuid().ToString("N"), runName, startTimeMs);
        var all = new Dictionary<string, string>(tags) { ["mlflow.runName"] = runName };
        if (parentRunId is not null) all["mlflow.parentRunId"] = parentRunId;
        foreach (var (key, value) in all) run.SetTag(key, value);
        return run;
    }

    internal static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public int EndRunsOfDeadProcesses()
    {
        int ended = 0;
        var experiment = Path.Combine(_root, _experimentId);
        foreach (var dir in Directory.EnumerateDirectories(experiment))
        {
            var meta = Path.Combine(dir, "meta.yaml");
            var process = Path.Combine(dir, "tags", ITracker.ProcessTag);
            if (!File.Exists(meta) || !File.Exists(process)) continue;
            var lines = File.ReadAllLines(meta);
            if (!lines.Contains($"status: {(int)RunStatus.Running}")) continue;
            if (ProcessIdentity.IsAlive(File.ReadAllText(process).Trim()) != false) continue;
            // It ended when it last wrote anything.
            long lastWrite = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Max(f => new DateTimeOffset(File.GetLastWriteTimeUtc(f)).ToUnixTimeMilliseconds());
            AtomicFile.WriteAllText(meta, string.Join('\n', lines.Select(l =>
                l.StartsWith("status: ", StringComparison.Ordinal) ? $"status: {(int)RunStatus.Killed}" :
                l.StartsWith("end_time: ", StringComparison.Ordinal) ? $"end_time: {lastWrite}" : l)) + "\n");
            ended++;
        }
        return ended;
    }

    /// <summary>The file a spilled run keeps the id of the server's run it continues (made there before the outage).</summary>
    public const string RemoteRunMarker = "harness-remote-run";

    /// <summary>Marks a run of this store as the continuation of <paramref name="remoteRunId"/> on a server, for `mlflow push`.</summary>
    public void MarkContinuationOf(string runId, string remoteRunId) =>
        AtomicFile.WriteAllText(Path.Combine(_root, _experimentId, runId, RemoteRunMarker), remoteRunId);

    private string? FindExperiment(string name)
    {
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            var id = Path.GetFileName(dir);
            if (!id.All(char.IsAsciiDigit)) continue;
            var meta = Path.Combine(dir, "meta.yaml");
            if (!File.Exists(meta)) continue;
            var nameLine = File.ReadLines(meta).FirstOrDefault(l => l.StartsWith("name: ", StringComparison.Ordinal));
            if (nameLine is not null && UnquoteYaml(nameLine["name: ".Length..]) == name) return id;
        }
        return null;
    }

    private string CreateExperiment(string name)
    {
        var ids = Directory.EnumerateDirectories(_root).Select(Path.GetFileName)
            .Where(n => n!.Length > 0 && n.All(char.IsAsciiDigit)).Select(n => long.Parse(n!, CultureInfo.InvariantCulture));
        var id = (ids.DefaultIfEmpty(0).Max() + 1).ToString(CultureInfo.InvariantCulture);
        EnsureExperiment(id, name);
        var tags = Path.Combine(_root, id, "tags");
        Directory.CreateDirectory(tags);
        // Keeps MLflow 3's UI from asking the user to classify the experiment.
        AtomicFile.WriteAllText(Path.Combine(tags, "mlflow.experimentKind"), "custom_model_development");
        return id;
    }

    private void EnsureExperiment(string id, string name)
    {
        var dir = Path.Combine(_root, id);
        var meta = Path.Combine(dir, "meta.yaml");
        if (File.Exists(meta)) return;
        Directory.CreateDirectory(dir);
        long now = Now();
        AtomicFile.WriteAllText(meta,
            $"artifact_location: {FileUri(dir)}\n" +
            $"creation_time: {now}\n" +
            $"experiment_id: '{id}'\n" +
            $"last_update_time: {now}\n" +
            "lifecycle_stage: active\n" +
            $"name: {QuoteYaml(name)}\n");
    }

    /// <summary>Serialises experiment creation between processes with an exclusive lock file.</summary>
    private T WithLock<T>(Func<T> action)
    {
        var lockPath = Path.Combine(_root, ".harness.lock");
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using var _ = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                return action();
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(25);
            }
        }
    }

    internal static string FileUri(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;

    internal static string QuoteYaml(string value) => "'" + value.Replace("'", "''") + "'";

    internal static string UnquoteYaml(string value)
    {
        value = value.Trim();
        return value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1].Replace("''", "'") : value;
    }

    private sealed class FileRun : ITrackedRun
    {
        private readonly MlflowFileStore _store;
        private readonly string _dir;
        private readonly string _runName;
        private readonly long _start;
        private readonly object _gate = new();
        private bool _ended;

        public FileRun(MlflowFileStore store, string runId, string runName, long startTimeMs)
        {
            _start = startTimeMs;
            _store = store;
            RunId = runId;
            _runName = runName;
            _dir = Path.Combine(store._root, store._experimentId, runId);
            foreach (var sub in new[] { "metrics", "params", "tags", "artifacts" }) Directory.CreateDirectory(Path.Combine(_dir, sub));
            WriteMeta(RunStatus.Running, null);
        }

        public string RunId { get; }

        private void WriteMeta(RunStatus status, long? end)
        {
            AtomicFile.WriteAllText(Path.Combine(_dir, "meta.yaml"),
                $"artifact_uri: {FileUri(Path.Combine(_dir, "artifacts"))}\n" +
                $"end_time: {(end is long e ? e.ToString(CultureInfo.InvariantCulture) : "null")}\n" +
                "entry_point_name: ''\n" +
                $"experiment_id: '{_store._experimentId}'\n" +
                "lifecycle_stage: active\n" +
                $"run_id: {RunId}\n" +
                $"run_name: {QuoteYaml(_runName)}\n" +
                $"run_uuid: {RunId}\n" +
                "source_name: ''\n" +
                "source_type: 4\n" +
                "source_version: ''\n" +
                $"start_time: {_start}\n" +
                $"status: {(int)status}\n" +
                "tags: []\n" +
                $"user_id: {QuoteYaml(Environment.UserName)}\n");
        }

        public void LogParams(IReadOnlyDictionary<string, string> parameters)
        {
            lock (_gate)
            {
                foreach (var (rawKey, rawValue) in parameters)
                {
                    var path = KeyPath("params", rawKey);
                    var value = MlflowKeys.Truncate(rawValue, MlflowKeys.MaxParamValue);
                    if (File.Exists(path))
                    {
                        if (File.ReadAllText(path) != value)
                            throw new InvalidOperationException($"MLflow params are immutable: '{rawKey}' was already logged with another value");
                        continue;
                    }
                    AtomicFile.WriteAllText(path, value);
                }
            }
        }

        public void LogMetric(string key, double value, long step = 0) => LogMetrics([(key, value, step)]);

        public void LogMetrics(IEnumerable<(string Key, double Value, long Step)> metrics)
        {
            long now = Now();
            LogMetricsAt(metrics.Select(m => (m.Key, m.Value, m.Step, now)));
        }

        public void LogMetricsAt(IEnumerable<(string Key, double Value, long Step, long Timestamp)> metrics)
        {
            lock (_gate)
            {
                foreach (var group in metrics.GroupBy(m => m.Key))
                {
                    var lines = new StringBuilder();
                    foreach (var (_, value, step, timestamp) in group)
                        lines.Append(timestamp.ToString(CultureInfo.InvariantCulture)).Append(' ')
                             .Append(FormatValue(value)).Append(' ')
                             .Append(step.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    File.AppendAllText(KeyPath("metrics", group.Key), lines.ToString(), new UTF8Encoding(false));
                }
            }
        }

        public void SetTag(string key, string value)
        {
            lock (_gate) AtomicFile.WriteAllText(KeyPath("tags", key), MlflowKeys.Truncate(value, MlflowKeys.MaxRunTagValue));
        }

        /// <summary>
        /// MLflow's file-store layout for inputs: EXP/datasets/ID/meta.yaml holds the dataset once per experiment,
        /// RUN/inputs/ID/meta.yaml links it to the run with its context tag.
        /// </summary>
        public void LogInputs(IReadOnlyList<DatasetInput> datasets)
        {
            lock (_gate)
                foreach (var d in datasets)
                {
                    var datasetDir = Path.Combine(_store._root, _store._experimentId, "datasets", d.FileStoreId);
                    if (!File.Exists(Path.Combine(datasetDir, "meta.yaml")))
                    {
                        Directory.CreateDirectory(datasetDir);
                        AtomicFile.WriteAllText(Path.Combine(datasetDir, "meta.yaml"),
                            $"digest: {QuoteYaml(d.Digest)}\nname: {QuoteYaml(d.Name)}\nprofile: {QuoteYaml(d.Profile)}\n" +
                            $"schema: {QuoteYaml(d.Schema)}\nsource: {QuoteYaml(d.Source)}\nsource_type: {QuoteYaml(d.SourceType)}\n");
                    }
                    var inputDir = Path.Combine(_dir, "inputs", d.FileStoreInputId(RunId));
                    Directory.CreateDirectory(inputDir);
                    AtomicFile.WriteAllText(Path.Combine(inputDir, "meta.yaml"),
                        $"destination_id: {RunId}\ndestination_type: RUN\nsource_id: {d.FileStoreId}\nsource_type: DATASET\n" +
                        $"tags:\n  {DatasetInput.ContextTag}: {QuoteYaml(d.Context)}\n");
                }
        }

        public void LogArtifact(string localPath, string? artifactDirectory = null)
        {
            var target = Path.Combine(_dir, "artifacts", artifactDirectory ?? "", Path.GetFileName(localPath));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(localPath, target, overwrite: true);
        }

        public void End(RunStatus status) => EndAt(status, Now());

        public void EndAt(RunStatus status, long endTimeMs)
        {
            lock (_gate)
            {
                if (_ended) return;
                _ended = true;
                WriteMeta(status, endTimeMs);
            }
        }

        /// <summary>A run that is disposed without an explicit end failed on the way.</summary>
        public void Dispose() => End(RunStatus.Failed);

        private string KeyPath(string kind, string key)
        {
            var path = Path.Combine(_dir, kind, MlflowKeys.Sanitize(key));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return path;
        }

        private static string FormatValue(double value) =>
            double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" :
            double.IsNegativeInfinity(value) ? "-Infinity" : value.ToString("R", CultureInfo.InvariantCulture);
    }
}
