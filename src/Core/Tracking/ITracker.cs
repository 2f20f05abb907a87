namespace Harness.Core.Tracking;

/// <summary>Where runs are logged (MLflow's file store, its REST API, or nowhere). One experiment per project.</summary>
public interface ITracker
{
    /// <summary>Describes where runs go, for messages ("./mlruns", "http://host:5000").</summary>
    string Location { get; }

    ITrackedRun StartRun(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags);

    /// <summary>A run that started at <paramref name="startTimeMs"/> (Unix ms): a replayed run keeps its own time.</summary>
    ITrackedRun StartRunAt(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags, long startTimeMs) =>
        StartRun(runName, parentRunId, tags);

    /// <summary>An existing run of this tracker, to be continued (null when this tracker cannot, or does not know the id).</summary>
    ITrackedRun? ResumeRun(string runId) => null;

    /// <summary>
    /// Ends as KILLED every run still RUNNING whose process (tag <see cref="ProcessTag"/>) is known to be dead: a run whose
    /// process was SIGKILLed never ended itself. Returns how many were ended.
    /// </summary>
    int EndRunsOfDeadProcesses() => 0;

    /// <summary>The tag naming the process that made a run (host/pid/start ticks, <see cref="Harness.Core.Runtime.ProcessIdentity"/>).</summary>
    const string ProcessTag = "harness.process";
}

/// <summary>The final state of a run, as MLflow names them.</summary>
public enum RunStatus
{
    Running = 1,
    Scheduled = 2,
    Finished = 3,
    Failed = 4,
    Killed = 5,
}

/// <summary>One run: params are write-once, metrics carry a step, artifacts are files copied under the run.</summary>
public interface ITrackedRun : IDisposable
{
    string RunId { get; }
    void LogParams(IReadOnlyDictionary<string, string> parameters);
    void LogMetric(string key, double value, long step = 0);
    void LogMetrics(IEnumerable<(string Key, double Value, long Step)> metrics);

    /// <summary>Metrics with the time each was measured (Unix ms): a replay sends the same points, which MLflow stores once.</summary>
    void LogMetricsAt(IEnumerable<(string Key, double Value, long Step, long Timestamp)> metrics) =>
        LogMetrics(metrics.Select(m => (m.Key, m.Value, m.Step)));
    void SetTag(string key, string value);

    /// <summary>The datasets this run read (MLflow dataset inputs); a tracker that keeps none ignores them.</summary>
    void LogInputs(IReadOnlyList<DatasetInput> datasets) { }

    void LogArtifact(string localPath, string? artifactDirectory = null);
    void End(RunStatus status);

    /// <summary>Ends the run at <paramref name="endTimeMs"/> (Unix ms), for a replay.</summary>
    void EndAt(RunStatus status, long endTimeMs) => End(status);
}
