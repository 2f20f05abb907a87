using System.Globalization;

namespace Harness.Core.Runtime;

/// <summary>
/// Which process made something (a run, a staging folder): host, pid and the process's start time since boot, so that
/// a later process can tell a dead maker from a live one, even after the pid was reused. As Sacred detects dead runs by
/// their missing heartbeat, Harness detects them by their missing process.
/// </summary>
public static class ProcessIdentity
{
    /// <summary>host/pid/start-ticks of this process.</summary>
    public static string Current { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{StartTicks(Environment.ProcessId)}";

    /// <summary>
    /// False when the identity names a process of this host that no longer runs; true when it runs, and null when it is
    /// another host's (or unreadable): only a maker known to be dead is declared dead.
    /// </summary>
    public static bool? IsAlive(string identity)
    {
        var parts = identity.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid))
            return null;
        return IsAlive(pid, parts[2]);
    }

    /// <summary>Whether the process with this pid runs (and, when given, started at these ticks).</summary>
    public static bool IsAlive(int pid, string? startTicks = null)
    {
        var now = StartTicks(pid);
        return now is not null && (startTicks is null || now == startTicks);
    }

    /// <summary>Field 22 of /proc/PID/stat (clock ticks after boot at which the process started); null if it does not run.</summary>
    private static string? StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // the name, in parentheses, may hold spaces
            return fields.Length > 19 ? fields[19] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
