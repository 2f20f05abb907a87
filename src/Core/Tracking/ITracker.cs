namespace Harness.Core.Tracking;

/// <summary>Where runs are logged (MLflow's file store, its REST API, or nowhere). One experiment per project.</summary>
public interface ITracker
{
    /// <summary>Describes where runs go, for messages ("./mlruns", "http://host:5000").</summary>
    string Location { get; }

    ITrackedRun StartRun(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags);
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
    void SetTag(string key, string value);
    void LogArtifact(string localPath, string? artifactDirectory = null);
    void End(RunStatus status);
}
