namespace Harness.Core.Runtime;

/// <summary>
/// How float results are allowed to depend on the machine. Portable (the default) pins every instruction-set
/// dispatch that changes rounding, so the same spec and seed give the same bytes on any x86-64 machine with AVX2 and
/// FMA; fast lets libtorch and MKL use the widest instructions the CPU has (results then hold on this machine only).
/// </summary>
public enum NumericsMode
{
    Portable,
    Fast,
}

public static class NumericsModes
{
    public static readonly string[] Names = ["portable", "fast"];

    public static string Name(this NumericsMode mode) => mode switch
    {
        NumericsMode.Portable => "portable",
        NumericsMode.Fast => "fast",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>The mode a name gives, or null for anything else.</summary>
    public static NumericsMode? TryParse(string? name) => name switch
    {
        "portable" => NumericsMode.Portable,
        "fast" => NumericsMode.Fast,
        _ => null,
    };
}
