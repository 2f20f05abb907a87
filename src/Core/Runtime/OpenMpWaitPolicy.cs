namespace Harness.Core.Runtime;

/// <summary>
/// Makes libtorch's OpenMP threads sleep, not spin, when a parallel op ends. By default (libgomp) they spin for a
/// while and hold both cores, so g's C# GRU kernel (GruColumnsKernel) shared its core with a spinning thread: measured
/// here, its step took 18 ms with spinning and 10 ms with passive waiting, while Adam's step did not change.
/// libgomp reads OMP_WAIT_POLICY once, when libtorch loads: call this before any torch call.
/// A value the user has set is kept.
/// </summary>
public static class OpenMpWaitPolicy
{
    private const string Variable = "OMP_WAIT_POLICY";

    /// <summary>The policy native code will see (libgomp's default, active for a while, when unset).</summary>
    public static string Current => Environment.GetEnvironmentVariable(Variable) ?? "default (spin, then sleep)";

    /// <summary>Only speed depends on this, never results: where libc cannot be reached its default stays.</summary>
    public static void MakePassive() => NativeEnvironment.Set(Variable, "PASSIVE", overwrite: false);

    /// <summary>What native code reads (for tests: the managed environment is a separate copy).</summary>
    internal static string? NativeValue => NativeEnvironment.Get(Variable);
}
