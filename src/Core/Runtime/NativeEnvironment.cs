using System.Runtime.InteropServices;

namespace Harness.Core.Runtime;

/// <summary>
/// The process environment as native libraries (libtorch, MKL, libgomp) read it. .NET's
/// Environment.SetEnvironmentVariable does not reach native code on Linux, so this calls libc's setenv; the managed
/// copy is updated too, so both agree.
/// </summary>
public static class NativeEnvironment
{
    /// <summary>Sets a variable for native code (and the managed copy); false where libc is not reachable.</summary>
    public static bool Set(string name, string value, bool overwrite)
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (!overwrite && Get(name) is not null) return true;
        try
        {
            if (setenv(name, value, 1) != 0) return false;
            Environment.SetEnvironmentVariable(name, value);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>What native code reads (null when unset).</summary>
    public static string? Get(string name)
    {
        if (!OperatingSystem.IsLinux()) return Environment.GetEnvironmentVariable(name);
        try
        {
            return Marshal.PtrToStringAnsi(getenv(name));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Environment.GetEnvironmentVariable(name);
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv(string name);
}
