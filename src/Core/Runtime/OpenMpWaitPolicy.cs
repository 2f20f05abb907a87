using System.Runtime.InteropServices;

namespace Harness.Core.Runtime;

/// <summary>
/// Makes libtorch's OpenMP threads sleep, not spin, when a parallel op ends. By default (libgomp) they spin for a
/// while and hold both cores, so g's C# GRU kernel (GruColumnsKernel) shared its core with a spinning thread: measured
/// here, its step took 18 ms with spinning and 10 ms with passive waiting, while Adam's step did not change.
/// libgomp reads OMP_WAIT_POLICY once, when libtorch loads: call this before any torch call. .NET's
/// Environment.SetEnvironmentVariable does not reach native code on Linux, so this calls libc's setenv.
/// A value the user has set is kept.
/// </summary>
public static class OpenMpWaitPolicy
{
    private const string Variable = "OMP_WAIT_POLICY";

    /// <summary>The policy native code will see (libgomp's default, active for a while, when unset).</summary>
    public static string Current => Environment.GetEnvironmentVariable(Variable) ?? "default (spin, then sleep)";

    public static void MakePassive()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null) return;
        try
        {
            if (setenv(Variable, "PASSIVE", 0) == 0) Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another libc: keep its defaults (only speed depends on this, never results).
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv(string name);

    /// <summary>What native code reads (for tests: the managed environment is a separate copy).</summary>
    internal static string? NativeValue => Marshal.PtrToStringAnsi(getenv(Variable));
}
