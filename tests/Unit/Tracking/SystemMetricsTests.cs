using Harness.Core.Tracking;

namespace Harness.Tests.Unit.Tracking;

public class SystemMetricsTests
{
    private sealed class RecordingRun : ITrackedRun
    {
        public List<(string Key, double Value, long Step)> Metrics { get; } = [];
        public string RunId => "r";
        public void LogParams(IReadOnlyDictionary<string, string> parameters) { }
        public void LogMetric(string key, double value, long step = 0) => Metrics.Add((key, value, step));
        public void LogMetrics(IEnumerable<(string Key, double Value, long Step)> metrics) => Metrics.AddRange(metrics);
        public void SetTag(string key, string value) { }
        public void LogArtifact(string localPath, string? artifactDirectory = null) { }
        public void End(RunStatus status) { }
        public void Dispose() { }
    }

    [Fact]
    public void Each_sample_logs_mlflows_system_metric_names_at_the_next_step_and_none_after_disposal()
    {
        var run = new RecordingRun();
        var sampler = SystemMetrics.Manual(run);
        sampler.Sample();
        sampler.Sample();
        sampler.Dispose();
        sampler.Sample();
        var names = new[] { "system/cpu_utilization_percentage", "system/system_memory_usage_megabytes", "system/system_memory_usage_percentage",
            "system/process_resident_memory_megabytes" };
        Assert.Equal(names.Order(), run.Metrics.Select(m => m.Key).Distinct().Order());
        foreach (var name in names)
            Assert.Equal([0L, 1L], run.Metrics.Where(m => m.Key == name).Select(m => m.Step));
        Assert.All(run.Metrics.Where(m => m.Key.EndsWith("percentage", StringComparison.Ordinal)), m => Assert.InRange(m.Value, 0, 100));
        Assert.InRange(run.Metrics.First(m => m.Key == "system/process_resident_memory_megabytes").Value, 1, 1e6);
    }

    [Fact]
    public void An_interval_of_zero_samples_nothing()
    {
        var run = new RecordingRun();
        using (SystemMetrics.Start(run, 0)) Thread.Sleep(50);
        Assert.Empty(run.Metrics);
    }

    [Fact]
    public void A_timer_samples_at_its_interval()
    {
        var run = new RecordingRun();
        using (SystemMetrics.Start(run, 0.05)) Thread.Sleep(1000);
        Assert.Contains(run.Metrics, m => m.Key == "system/cpu_utilization_percentage");
    }
}
