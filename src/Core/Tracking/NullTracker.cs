namespace Harness.Core.Tracking;

/// <summary>A tracker that records nothing (tracking: none, and unit tests).</summary>
public sealed class NullTracker : ITracker
{
    public static readonly NullTracker Instance = new();
    public string Location => "nowhere (tracking disabled)";

    public ITrackedRun StartRun(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags) =>
        new NullRun();

    private sealed class NullRun : ITrackedRun
    {
        public string RunId { get; } = Guid.NewGuid().ToString("N");
        public void LogParams(IReadOnlyDictionary<string, string> parameters) { }
        public void LogMetric(string key, double value, long step = 0) { }
        public void LogMetrics(IEnumerable<(string Key, double Value, long Step)> metrics) { }
        public void SetTag(string key, string value) { }
        public void LogArtifact(string localPath, string? artifactDirectory = null) { }
        public void End(RunStatus status) { }
        public void Dispose() { }
    }
}
