using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Harness.Tests.Integration.Cli;

/// <summary>
/// Portable numerics, proven on one machine: the shipped experiments at golden size, run once as they are and once
/// as if this CPU lacked AVX-512 (.NET's AVX-512 switched off, so g's kernel runs at 256 bits; the libtorch and MKL
/// pins already cap those at AVX2), give the same bytes in every result record and every artifact but the measured
/// seconds. Under fast numerics the same emulation (with libtorch's and MKL's dispatch capped by hand) is expected
/// to change results; that is reported, not asserted.
/// </summary>
[Collection("torch")]
public class PortableNumericsTests(ITestOutputHelper output)
{
    private const string NoAvx512 = "this CPU has no AVX-512: running 'as if it lacked AVX-512' would change nothing, so it proves nothing here";

    /// <summary>What an AVX2-only machine looks like to the program (.NET 10's switch; libtorch's and MKL's variables).</summary>
    private static readonly Dictionary<string, string?> WithoutAvx512 = new()
    {
        ["DOTNET_EnableAVX512"] = "0",
        ["ATEN_CPU_CAPABILITY"] = "avx2",
        ["MKL_CBWR"] = "AVX2",
    };

    /// <summary>
    /// This machine as it is: tracking off, and none of the pins this test process set for itself (a child inherits
    /// them, and fast numerics keep what they inherit).
    /// </summary>
    private static readonly Dictionary<string, string?> AsIs = new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "none" }
        .Concat(Harness.Core.Runtime.Numerics.PortablePins.Select(p => KeyValuePair.Create(p.Variable, (string?)null)))
        .ToDictionary();

    private static Dictionary<string, string?> Emulated() =>
        new(AsIs.Where(p => !WithoutAvx512.ContainsKey(p.Key)).Concat(WithoutAvx512));

    [SkippableFact]
    public void Portable_numerics_give_the_same_bytes_with_and_without_AVX512()
    {
        Skip.IfNot(Vector512.IsHardwareAccelerated, NoAvx512);
        using var folder = new TempFolder();
        var native = Run(folder, "native", AsIs, "portable");
        var narrow = Run(folder, "narrow", Emulated(), "portable");

        Assert.Equal(native.Keys.Order(), narrow.Keys.Order());
        Assert.Contains(native.Keys, k => k.EndsWith("/g-best.pt", StringComparison.Ordinal));
        foreach (var (file, digest) in native)
            Assert.True(digest == narrow[file], $"{file} differs between the native run and the run without AVX-512");
        // The runs really were different machines to the program: their hardware records say so.
        Assert.Equal("C# 512-bit", Hardware(folder, "native")["g_kernel"]);
        Assert.Equal("C# 256-bit", Hardware(folder, "narrow")["g_kernel"]);
    }

    [SkippableFact]
    public void Fast_numerics_without_AVX512_are_reported_as_they_are()
    {
        Skip.IfNot(Vector512.IsHardwareAccelerated, NoAvx512);
        using var folder = new TempFolder();
        var native = Run(folder, "native", AsIs, "fast");
        var narrow = Run(folder, "narrow", Emulated(), "fast");
        var differing = native.Where(p => narrow.GetValueOrDefault(p.Key) != p.Value).Select(p => p.Key).ToList();
        output.WriteLine(differing.Count == 0
            ? "fast numerics: the emulated AVX2-only run gave the same bytes here (nothing the golden sizes use dispatched differently)"
            : $"fast numerics: {differing.Count} of {native.Count} files differ without AVX-512: {string.Join(", ", differing)}");
        Assert.Equal("fast", Hardware(folder, "native")["numerics"]);
    }

    /// <summary>`harness run --golden` on the shipped experiments; SHA-256 of each result record and reproducible artifact.</summary>
    private static Dictionary<string, string> Run(TempFolder folder, string name, Dictionary<string, string?> environment, string numerics)
    {
        var outputs = folder.File(name);
        var run = CliRunner.Run(RepositoryRoot.Path, environment, "run", "--golden", "--threads", "1", "--numerics", numerics,
            "--outputs", outputs);
        Assert.True(run.ExitCode == 0, run.All);
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(outputs, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(outputs, file).Replace('\\', '/');
            var fileName = Path.GetFileName(file);
            if (fileName is "report.md" or "timing.csv" || relative.Split('/').Length < 3) continue;
            digests[relative] = fileName == "result.json"
                ? Sha(JsonNode.Parse(File.ReadAllText(file))!["result"]!.ToJsonString())
                : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }
        return digests;
    }

    private static Dictionary<string, string> Hardware(TempFolder folder, string name)
    {
        var result = Directory.EnumerateFiles(folder.File(name), "result.json", SearchOption.AllDirectories)
            .First(f => f.Contains("meta-train-harness", StringComparison.Ordinal));
        return JsonNode.Parse(File.ReadAllText(result))!["hardware"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
