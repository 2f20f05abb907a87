namespace Harness.Core.Tracking;

/// <summary>
/// A remote tracker that never loses a run. The remote (MLflow's REST API) already retries with backoff; when it still
/// fails, this tracker switches to a local MLflow file store (the spill folder) for the rest of the invocation. Every run
/// remembers what it logged, so a run cut off half-way is replayed whole into the spill folder, and the experiment
/// finishes as if nothing happened. `harness mlflow push` re-sends the spill folder once the server is back.
/// </summary>
public sealed class SpillingTracker(ITracker remote, string spillDirectory, string experimentName) : ITracker
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _localIds = new(StringComparer.Ordinal); // remote run id → spilled run id
    private MlflowFileStore? _spill;

    public string Location => remote.Location;
    public string SpillDirectory { get; } = Path.GetFullPath(spillDirectory);

    /// <summary>Why the remote was given up (null while it answers).</summary>
    public string? Cause { get; private set; }

    public bool Spilled => _spill is not null;

    /// <summary>Runs written to the spill folder in this invocation.</summary>
    public int SpilledRuns { get; private set; }

    /// <summary>The server's dead runs; a server that cannot say (an old one, or one that is down) is left as it is.</summary>
    public int EndRunsOfDeadProcesses()
    {
        if (Spilled) return 0;
        try
        {
            return remote.EndRunsOfDeadProcesses();
        }
        catch (TrackingException)
        {
            return 0;
        }
    }

    public ITrackedRun StartRun(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags)
    {
        var run = new SpillingRun(this, runName, parentRunId, tags, MlflowFileStore.Now());
        if (!Spilled)
        {
            try
            {
                run.Remote = remote.StartRunAt(runName, parentRunId, tags, run.StartTime);
                return run;
            }
            catch (TrackingException e)
            {
                GiveUp(e);
            }
        }
        run.MoveToSpill();
        return run;
    }

    private void GiveUp(TrackingException e)
    {
        lock (_gate)
        {
            Cause ??= e.Message;
            _spill ??= new MlflowFileStore(SpillDirectory, experimentName);
        }
    }

    /// <summary>
    /// A run in the spill folder. One the server already holds (<paramref name="remoteId"/>) is marked as its
    /// continuation, so that `mlflow push` completes that run instead of adding a second one.
    /// </summary>
    private ITrackedRun StartSpilled(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags, string? remoteId, long startTime)
    {
        lock (_gate)
        {
            string? parent = parentRunId is null ? null : _localIds.GetValueOrDefault(parentRunId, parentRunId);
            var local = _spill!.StartRunAt(runName, parent, new Dictionary<string, string>(tags)
            {
                ["harness.spilled_from"] = remote.Location,
            }, startTime);
            if (remoteId is not null)
            {
                _localIds[remoteId] = local.RunId;
                _spill.MarkContinuationOf(local.RunId, remoteId);
            }
            SpilledRuns++;
            return local;
        }
    }

    /// <summary>
    /// Records every call, with the time it was made; forwards to the remote run until it fails, then replays the
    /// record into the spill folder (same timestamps, so a later push re-sends the very points the server may hold).
    /// </summary>
    private sealed class SpillingRun(SpillingTracker tracker, string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags,
        long startTime) : ITrackedRun
    {
        private readonly Dictionary<string, string> _params = new(StringComparer.Ordinal);
        private readonly List<(string Key, double Value, long Step, long Timestamp)> _metrics = [];
        private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
        private readonly List<(string Path, string? Directory)> _artifacts = [];
        private readonly List<DatasetInput> _inputs = [];
        private readonly object _gate = new(); // system metrics log from a timer thread
        private ITrackedRun? _local;
        private (RunStatus Status, long Time)? _end;

        public ITrackedRun? Remote { get; set; }

        public long StartTime => startTime;

        public string RunId => Remote?.RunId ?? _local!.RunId;

        public void LogParams(IReadOnlyDictionary<string, string> parameters)
        {
            lock (_gate)
            {
                foreach (var (k, v) in parameters) _params[k] = v;
                Do(r => r.LogParams(parameters));
            }
        }

        public void LogMetric(string key, double value, long step = 0) => LogMetrics([(key, value, step)]);

        public void LogMetrics(IEnumerable<(string Key, double Value, long Step)> metrics)
        {
            long now = MlflowFileStore.Now();
            LogMetricsAt(metrics.Select(m => (m.Key, m.Value, m.Step, now)));
        }

        public void LogMetricsAt(IEnumerable<(string Key, double Value, long Step, long Timestamp)> metrics)
        {
            var list = metrics.ToList();
            lock (_gate)
            {
                _metrics.AddRange(list);
                Do(r => r.LogMetricsAt(list));
            }
        }

        public void SetTag(string key, string value)
        {
            lock (_gate)
            {
                _tags[key] = value;
                Do(r => r.SetTag(key, value));
            }
        }

        public void LogInputs(IReadOnlyList<DatasetInput> datasets)
        {
            lock (_gate)
            {
                _inputs.AddRange(datasets);
                Do(r => r.LogInputs(datasets));
            }
        }

        public void LogArtifact(string localPath, string? artifactDirectory = null)
        {
            lock (_gate)
            {
                _artifacts.Add((localPath, artifactDirectory));
                Do(r => r.LogArtifact(localPath, artifactDirectory));
            }
        }

        public void End(RunStatus status) => EndAt(status, MlflowFileStore.Now());

        public void EndAt(RunStatus status, long endTimeMs)
        {
            lock (_gate)
            {
                if (_end is not null) return;
                _end = (status, endTimeMs);
                Do(r => r.EndAt(status, endTimeMs));
            }
        }

        public void Dispose()
        {
            if (_end is null) End(RunStatus.Failed);
        }

        private void Do(Action<ITrackedRun> action)
        {
            if (_local is null && Remote is not null)
            {
                try
                {
                    action(Remote);
                    return;
                }
                catch (TrackingException e)
                {
                    tracker.GiveUp(e);
                    MoveToSpill();
                    return; // the replay included this call
                }
            }
            action(_local!);
        }

        /// <summary>Starts the run in the spill folder and replays everything logged so far.</summary>
        public void MoveToSpill()
        {
            _local = tracker.StartSpilled(runName, parentRunId, tags, Remote?.RunId, startTime);
            if (_params.Count > 0) _local.LogParams(_params);
            if (_metrics.Count > 0) _local.LogMetricsAt(_metrics);
            foreach (var (k, v) in _tags) _local.SetTag(k, v);
            if (_inputs.Count > 0) _local.LogInputs(_inputs);
            foreach (var (path, directory) in _artifacts.Where(a => File.Exists(a.Path))) _local.LogArtifact(path, directory);
            if (_end is { } end) _local.EndAt(end.Status, end.Time);
        }
    }
}
