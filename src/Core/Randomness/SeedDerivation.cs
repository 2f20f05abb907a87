using System.Security.Cryptography;
using System.Text;

namespace Harness.Core.Randomness;

/// <summary>
/// Child seeds from (seed, names, indices) by hashing, so no two consumers share random state:
/// adding an experiment or a consumer never shifts another's numbers.
/// </summary>
public static class SeedDerivation
{
    public static ulong Derive(ulong seed, params object[] path)
    {
        var text = new StringBuilder();
        text.Append("harness-seed-v1|").Append(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var part in path)
        {
            text.Append('|').Append(Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture));
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return BitConverter.ToUInt64(hash[..8]);
    }

    public static Rng Rng(ulong seed, params object[] path) => new(Derive(seed, path));

    /// <summary>A seed for libtorch's generator (which takes a non-negative long).</summary>
    public static long TorchSeed(ulong seed, params object[] path) => (long)(Derive(seed, path) >> 1);
}
