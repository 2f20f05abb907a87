using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Harness.Core.Learned;
using Harness.Core.Runtime;

namespace Harness.Experiments.Runner;

/// <summary>
/// What a result's bits may depend on besides the spec: the CPU, the instruction sets it offers and the ones pinned,
/// the numerics mode, the vector widths .NET and g's kernel use, and the native library versions. Recorded on every
/// MLflow run, in result.json and in report.md, so a result that does not reproduce can be traced to its machine.
/// </summary>
public static class HardwareProvenance
{
    /// <summary>The instruction sets that change which kernels libtorch, MKL and .NET pick (as /proc/cpuinfo names them).</summary>
    private static readonly string[] Relevant =
        ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile"];

    /// <summary>Ordered key → value pairs (keys are snake_case; MLflow tags prefix them with harness.hw.).</summary>
    public static IReadOnlyList<(string Key, string Value)> Describe() =>
    [
        ("cpu", CpuModel()),
        ("cpu_offers", string.Join(" ", OfferedInstructionSets())),
        ("numerics", Numerics.Mode.Name()),
        ("pinned", string.Join(" ", Numerics.NativeSettings.Select(s => $"{s.Variable}={s.Value}"))),
        ("dotnet_vector_bits", DotnetVectorBits().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("g_kernel", GruOptimizerNetwork.HasVectorisedCpuKernel ? $"C# {GruOptimizerNetwork.VectorisedCpuKernelWidth}-bit" : "libtorch ops"),
        ("libtorch", TorchRuntime.LibTorchVersion),
        ("mkl", MklVersion()),
        ("onednn", "bundled with libtorch (its version is not exported)"),
    ];

    /// <summary>The CPU's model name (the first "model name" line of /proc/cpuinfo), or the architecture elsewhere.</summary>
    public static string CpuModel()
    {
        foreach (var line in CpuInfoLines())
            if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                return line[(colon + 1)..].Trim();
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The relevant instruction sets the CPU offers (its flags line), whatever is pinned or disabled.</summary>
    public static IReadOnlyList<string> OfferedInstructionSets()
    {
        var flags = CpuInfoLines().FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
        if (flags is null || flags.IndexOf(':') is not (var colon and > 0)) return ["unknown"];
        var offered = flags[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return Relevant.Where(offered.Contains).ToList();
    }

    /// <summary>The widest vector .NET accelerates here (DOTNET_EnableAVX512=0 lowers it).</summary>
    public static int DotnetVectorBits() =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;

    /// <summary>The first processor's block of /proc/cpuinfo, read once: the CPU does not change while the process runs.</summary>
    private static IReadOnlyList<string> CpuInfoLines() => CpuInfo.Value;

    private static readonly Lazy<IReadOnlyList<string>> CpuInfo = new(() =>
    {
        try
        {
            return File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).ToList() : [];
        }
        catch (IOException)
        {
            return [];
        }
    });

    private static string? _mkl;

    /// <summary>MKL's own version string (MKL_Get_Version_String, exported by libtorch_cpu), or "unknown".</summary>
    public static string MklVersion() => _mkl ??= ReadMklVersion();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void VersionString(IntPtr buffer, int length);

    private static string ReadMklVersion()
    {
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, null, out var library)) return "unknown";
        if (!NativeLibrary.TryGetExport(library, "MKL_Get_Version_String", out var export)) return "unknown";
        var buffer = Marshal.AllocHGlobal(256);
        try
        {
            Marshal.GetDelegateForFunctionPointer<VersionString>(export)(buffer, 256);
            var text = Marshal.PtrToStringAnsi(buffer)?.Trim();
            return string.IsNullOrEmpty(text) ? "unknown" : text;
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }
}
