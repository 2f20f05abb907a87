using System.Runtime.Intrinsics.X86;

namespace Harness.Core.Runtime;

/// <summary>
/// The process's numerics mode, fixed before libtorch loads (its libraries read these variables once, at load).
/// Portable pins every dispatch that changes float rounding to AVX2, the widest instruction set most x86-64
/// machines share:
/// - libtorch's vectorised kernels (ATEN_CPU_CAPABILITY=avx2: the AVX2 build of each kernel, also on AVX-512 CPUs);
/// - MKL's matrix products (MKL_CBWR=AVX2,STRICT: conditional numerical reproducibility, MKL's guarantee of the
///   same bits on every processor that runs its AVX2 code path, strict even for unaligned inputs);
/// - oneDNN (ONEDNN_MAX_CPU_ISA=AVX2, and its older name DNNL_MAX_CPU_ISA);
/// - g's own C# kernel needs no pin: it gives the same bits at 512 and 256 bits (see GruColumnsKernel).
/// Thread count is the other input to rounding; it is pinned separately (TorchRuntime.PinThreads) and hashed.
/// Fast pins nothing and keeps what the user set, for speed work: results then hold on this machine only.
/// </summary>
public static class Numerics
{
    /// <summary>The variables portable numerics sets, overwriting any value the user had, with their values.</summary>
    public static readonly IReadOnlyList<(string Variable, string Value)> PortablePins =
    [
        ("ATEN_CPU_CAPABILITY", "avx2"),
        ("MKL_CBWR", "AVX2,STRICT"),
        ("ONEDNN_MAX_CPU_ISA", "AVX2"),
        ("DNNL_MAX_CPU_ISA", "AVX2"),
    ];

    private static readonly object Gate = new();
    private static NumericsMode? _applied;

    /// <summary>The mode this process runs in: fast until portable numerics has been applied.</summary>
    public static NumericsMode Mode => _applied ?? NumericsMode.Fast;

    /// <summary>
    /// Fixes the mode. Call before any torch call; a second call may only repeat the same mode (libtorch has
    /// read the variables by then). Portable needs AVX2 and FMA: without them it is a user error naming the way out.
    /// </summary>
    public static void Apply(NumericsMode mode)
    {
        lock (Gate)
        {
            if (_applied == mode) return;
            if (_applied is not null)
                throw new InvalidOperationException($"numerics are already {_applied.Value.Name()} in this process; they are fixed when libtorch loads");
            if (mode == NumericsMode.Portable)
            {
                if (!Avx2.IsSupported || !Fma.IsSupported)
                    throw new UserInputException("portable numerics pin AVX2 with FMA, and this CPU (or the .NET runtime's settings) " +
                                                 "does not offer both: run with --numerics fast (results then hold on this machine only)");
                foreach (var (variable, value) in PortablePins)
                    if (!NativeEnvironment.Set(variable, value, overwrite: true))
                        throw new InvalidOperationException($"could not set {variable} for native code (libc's setenv is not reachable)");
            }
            _applied = mode;
        }
    }

    /// <summary>What native code reads for each variable portable numerics pins ("unset" where nothing is set).</summary>
    public static IReadOnlyList<(string Variable, string Value)> NativeSettings =>
        PortablePins.Select(p => (p.Variable, NativeEnvironment.Get(p.Variable) ?? "unset")).ToList();
}
