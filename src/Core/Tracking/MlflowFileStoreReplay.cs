using System.Globalization;

namespace Harness.Core.Tracking;

/// <summary>
/// Re-sends the runs of an MLflow file store (a spill folder) to another tracker: parents before children, with params,
/// metrics (values, steps and timestamps), tags, dataset inputs, artifacts, start and end times and final status. A spilled run that
/// continues one the server already holds (it was made there before the outage) completes that run rather than adding
/// a second: the server ends with each run once, children under their parents, every status final. Each sent run is
/// marked in its folder (<see cref="SentMarker"/>), so a push that stops half-way can simply be repeated.
/// </summary>
public static class MlflowFileStoreReplay
{
    public const string SentMarker = "harness-sent";

    public sealed record Outcome(int Sent, int AlreadySent);

    public static Outcome Push(string storeDirectory, ITracker target)
    {
        if (!Directory.Exists(storeDirectory))
            throw new UserInputException($"{storeDirectory}: no such folder; pass the spill folder a run named (default mlruns-unsent).");
        var runs = Directory.EnumerateDirectories(storeDirectory)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .SelectMany(Directory.EnumerateDirectories)
            .Where(d => File.Exists(Path.Combine(d, "meta.yaml")))
            .Select(Read)
            .ToList();
        if (runs.Count == 0)
            throw new UserInputException($"{storeDirectory} holds no MLflow runs (expected EXPERIMENT_ID/RUN_ID/meta.yaml folders).");

        var sentIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in runs.Where(r => r.SentAs is not null)) sentIds[run.Id] = run.SentAs!;
        int sent = 0;
        // Parents first: a child names its parent by the id the target gave it.
        foreach (var run in runs.Where(r => r.SentAs is null).OrderBy(r => r.Tags.ContainsKey("mlflow.parentRunId") ? 1 : 0)
                     .ThenBy(r => r.StartTime))
        {
            string? parent = run.Tags.TryGetValue("mlflow.parentRunId", out var p) ? sentIds.GetValueOrDefault(p, p) : null;
            var tags = run.Tags.Where(t => t.Key is not ("mlflow.parentRunId" or "mlflow.runName"))
                .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            var resumed = run.ContinuesRemote is { } remoteId ? target.ResumeRun(remoteId) : null;
            using var sentRun = resumed ?? target.StartRunAt(run.Name, parent, tags, run.StartTime);
            if (resumed is not null)
                foreach (var (key, value) in tags) sentRun.SetTag(key, value);
            if (run.Params.Count > 0) sentRun.LogParams(run.Params);
            if (run.Inputs.Count > 0) sentRun.LogInputs(run.Inputs);
            if (run.Metrics.Count > 0) sentRun.LogMetricsAt(run.Metrics);
            foreach (var artifact in run.Artifacts)
            {
                var relative = Path.GetRelativePath(Path.Combine(run.Directory, "artifacts"), Path.GetDirectoryName(artifact)!);
                sentRun.LogArtifact(artifact, relative == "." ? null : relative.Replace(Path.DirectorySeparatorChar, '/'));
            }
            if (run.EndTime is { } end) sentRun.EndAt(run.Status, end);
            else sentRun.End(run.Status);
            File.WriteAllText(Path.Combine(run.Directory, SentMarker), sentRun.RunId);
            sentIds[run.Id] = sentRun.RunId;
            sent++;
        }
        return new Outcome(sent, runs.Count - sent);
    }

    private sealed record StoredRun(string Directory, string Id, string Name, long StartTime, long? EndTime, RunStatus Status,
        Dictionary<string, string> Params, Dictionary<string, string> Tags, List<(string Key, double Value, long Step, long Timestamp)> Metrics,
        List<string> Artifacts, string? SentAs, string? ContinuesRemote, List<DatasetInput> Inputs);

    /// <summary>"key: value" lines of a meta.yaml this store wrote (values single-quoted or plain; nested keys indented).</summary>
    private static Dictionary<string, string> ReadMeta(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => MlflowFileStore.UnquoteYaml(g.First()[1]), StringComparer.Ordinal);

    /// <summary>The run's dataset inputs: RUN/inputs/ID/meta.yaml names a dataset of EXP/datasets/ and its context.</summary>
    private static List<DatasetInput> ReadInputs(string runDirectory)
    {
        var inputs = Path.Combine(runDirectory, "inputs");
        if (!System.IO.Directory.Exists(inputs)) return [];
        var datasets = Path.Combine(Path.GetDirectoryName(runDirectory)!, "datasets");
        var list = new List<DatasetInput>();
        foreach (var input in System.IO.Directory.EnumerateDirectories(inputs).Order(StringComparer.Ordinal))
        {
            var link = Path.Combine(input, "meta.yaml");
            if (!File.Exists(link)) continue;
            var edge = ReadMeta(link);
            var meta = Path.Combine(datasets, edge.GetValueOrDefault("source_id", ""), "meta.yaml");
            if (edge.GetValueOrDefault("source_type") != "DATASET" || !File.Exists(meta)) continue;
            var d = ReadMeta(meta);
            list.Add(new DatasetInput(d.GetValueOrDefault("name", ""), d.GetValueOrDefault("digest", ""), d.GetValueOrDefault("source_type", ""),
                d.GetValueOrDefault("source", ""), d.GetValueOrDefault("schema", ""), d.GetValueOrDefault("profile", ""),
                edge.GetValueOrDefault(DatasetInput.ContextTag, "")));
        }
        return list;
    }

    private static StoredRun Read(string directory)
    {
        var meta = ReadMeta(Path.Combine(directory, "meta.yaml"));
        Dictionary<string, string> Files(string kind)
        {
            var root = Path.Combine(directory, kind);
            return !System.IO.Directory.Exists(root) ? new(StringComparer.Ordinal) : System.IO.Directory
                .EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText, StringComparer.Ordinal);
        }
        var metrics = new List<(string, double, long, long)>();
        foreach (var (key, text) in Files("metrics"))
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                if (parts.Length >= 3 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp) &&
                    double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) &&
                    long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step))
                    metrics.Add((key, value, step, timestamp));
            }
        var artifactsRoot = Path.Combine(directory, "artifacts");
        var artifacts = System.IO.Directory.Exists(artifactsRoot)
            ? System.IO.Directory.EnumerateFiles(artifactsRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        string? Marker(string name) => File.Exists(Path.Combine(directory, name)) ? File.ReadAllText(Path.Combine(directory, name)).Trim() : null;
        return new StoredRun(directory, meta.GetValueOrDefault("run_id", Path.GetFileName(directory)),
            meta.GetValueOrDefault("run_name", "run"),
            long.TryParse(meta.GetValueOrDefault("start_time"), out var start) ? start : MlflowFileStore.Now(),
            long.TryParse(meta.GetValueOrDefault("end_time"), out var end) ? end : null,
            int.TryParse(meta.GetValueOrDefault("status"), out var status) && Enum.IsDefined((RunStatus)status) ? (RunStatus)status : RunStatus.Finished,
            Files("params"), Files("tags"), metrics, artifacts, Marker(SentMarker), Marker(MlflowFileStore.RemoteRunMarker),
            ReadInputs(directory));
    }
}
