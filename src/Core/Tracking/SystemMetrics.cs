using System.Diagnostics;
using System.Globalization;

namespace Harness.Core.Tracking;

/// <summary>
/// MLflow system metrics on a run while it runs, under MLflow's own names (system/cpu_utilization_percentage,
/// system/system_memory_usage_megabytes, system/system_memory_usage_percentage) and this process's resident memory
/// (system/process_resident_memory_megabytes), one sample per interval at steps 0, 1, 2… (as MLflow's sampler counts).
/// CPU is the whole machine's busy share since the previous sample, read from /proc/stat (Linux; elsewhere the
/// process's CPU time over wall time and cores). A failed sample is skipped: measuring never stops the run.
/// </summary>
public sealed class SystemMetrics : IDisposable
{
    private readonly ITrackedRun _run;
    private readonly Timer _timer;
    private readonly object _gate = new();
    private long _step;
    private (ulong Busy, ulong Total)? _lastCpu;
    private (TimeSpan Cpu, long Ticks) _lastProcess;
    private bool _disposed;

    private SystemMetrics(ITrackedRun run, TimeSpan interval)
    {
        _run = run;
        _lastCpu = ReadProcStat();
        using var self = Process.GetCurrentProcess();
        _lastProcess = (self.TotalProcessorTime, Stopwatch.GetTimestamp());
        _timer = new Timer(_ => Sample(), null, interval, interval);
    }

    /// <summary>Samples every <paramref name="intervalSeconds"/> until disposed; 0 samples nothing.</summary>
    public static IDisposable Start(ITrackedRun run, double intervalSeconds) =>
        intervalSeconds <= 0 ? new Nothing() : new SystemMetrics(run, TimeSpan.FromSeconds(intervalSeconds));

    /// <summary>One sample now (the timer's work; public so a test can take one without waiting).</summary>
    public void Sample()
    {
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                var metrics = new List<(string, double, long)>();
                if (Cpu() is double cpu) metrics.Add(("system/cpu_utilization_percentage", cpu, _step));
                if (ReadMemInfo() is var (totalKb, availableKb) && totalKb > 0)
                {
                    metrics.Add(("system/system_memory_usage_megabytes", (totalKb - availableKb) / 1024.0, _step));
                    metrics.Add(("system/system_memory_usage_percentage", 100.0 * (totalKb - availableKb) / totalKb, _step));
                }
                using (var self = Process.GetCurrentProcess())
                    metrics.Add(("system/process_resident_memory_megabytes", self.WorkingSet64 / (1024.0 * 1024.0), _step));
                _run.LogMetrics(metrics);
                _step++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TrackingException)
            {
                // A sample that cannot be read or sent is skipped.
            }
        }
    }

    /// <summary>Testing seam: a sampler that samples only when asked.</summary>
    public static SystemMetrics Manual(ITrackedRun run)
    {
        var sampler = new SystemMetrics(run, Timeout.InfiniteTimeSpan);
        return sampler;
    }

    private double? Cpu()
    {
        if (ReadProcStat() is { } now && _lastCpu is { } before && now.Total > before.Total)
        {
            _lastCpu = now;
            return 100.0 * (now.Busy - before.Busy) / (now.Total - before.Total);
        }
        using var self = Process.GetCurrentProcess();
        var (cpu, ticks) = (self.TotalProcessorTime, Stopwatch.GetTimestamp());
        double wall = (ticks - _lastProcess.Ticks) / (double)Stopwatch.Frequency;
        double share = wall > 0 ? 100.0 * (cpu - _lastProcess.Cpu).TotalSeconds / wall / Environment.ProcessorCount : double.NaN;
        _lastProcess = (cpu, ticks);
        return double.IsFinite(share) ? share : null;
    }

    /// <summary>The first line of /proc/stat: busy = all jiffies but idle and iowait.</summary>
    private static (ulong Busy, ulong Total)? ReadProcStat()
    {
        if (!File.Exists("/proc/stat")) return null;
        var line = File.ReadLines("/proc/stat").FirstOrDefault();
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal)) return null;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => ulong.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
        if (fields.Length < 5) return null;
        ulong total = 0;
        foreach (var f in fields.Take(8)) total += f;
        return (total - fields[3] - fields[4], total);
    }

    private static (long TotalKb, long AvailableKb)? ReadMemInfo()
    {
        if (!File.Exists("/proc/meminfo")) return null;
        long Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } l &&
            long.TryParse(l[(name.Length + 1)..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var lines = File.ReadAllLines("/proc/meminfo");
        return (Field(lines, "MemTotal"), Field(lines, "MemAvailable"));
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _timer.Dispose();
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose() { }
    }
}
