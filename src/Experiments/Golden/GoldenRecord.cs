using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Configuration;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Golden;

/// <summary>
/// What a golden snapshot holds for one experiment: its id, kind, device class, pinned thread count, numerics mode and
/// its result record with every number rounded to <see cref="SignificantDigits"/> significant digits, so a reader sees
/// what changed. Under portable numerics on the CPU it also holds the exact layer: the SHA-256 of the result record
/// and of every checkpoint (*.pt), which are the same bytes on any x86-64 machine with AVX2 and are checked exactly.
/// Elsewhere (fast numerics, CUDA) only the rounded numbers are checked, within <see cref="GoldenTolerance"/>.
/// </summary>
public static class GoldenRecord
{
    public const string ExactLayer = "sha256";
    public const int SignificantDigits = 4;

    /// <summary>The thread count golden runs pin (written into every snapshot).</summary>
    public const int Threads = 1;

    /// <summary>True where results are bit-portable, so the snapshot carries and checks the exact layer.</summary>
    public static bool IsExact(ExperimentRecord record) =>
        record.Numerics == NumericsMode.Portable.Name() && record.Device == "cpu";

    /// <summary>The snapshot of a record whose folder (checkpoints) is <paramref name="directory"/>.</summary>
    public static JsonObject From(ExperimentRecord record, string directory)
    {
        var golden = new JsonObject
        {
            ["id"] = record.Id,
            ["kind"] = record.Kind,
            ["device"] = record.Device,
            ["threads"] = record.Threads,
            ["numerics"] = record.Numerics,
            ["significant_digits"] = SignificantDigits,
            ["result"] = Round(record.Result),
        };
        if (IsExact(record)) golden[ExactLayer] = Digests(record, directory);
        return golden;
    }

    /// <summary>
    /// What a fresh run is compared with: exact runs as they are; others with the stored numbers they are within
    /// tolerance of, and with the stored numerics and exact layer (which such a run cannot check) carried over.
    /// </summary>
    public static JsonObject Comparable(ExperimentRecord record, string directory, JsonNode? stored)
    {
        var fresh = From(record, directory);
        if (IsExact(record)) return fresh;
        fresh = GoldenTolerance.Settle(fresh, stored);
        if (stored is JsonObject old)
        {
            if (old["numerics"] is { } numerics) fresh["numerics"] = numerics.DeepClone();
            if (old[ExactLayer] is { } exact) fresh[ExactLayer] = exact.DeepClone();
        }
        return fresh;
    }

    /// <summary>SHA-256 of the result record (as result.json writes it) and of each checkpoint, by file name.</summary>
    public static JsonObject Digests(ExperimentRecord record, string directory)
    {
        var digests = new JsonObject { ["result"] = Sha256(Encoding.UTF8.GetBytes(record.Result?.ToJsonString() ?? "null")) };
        if (Directory.Exists(directory))
            foreach (var file in Directory.GetFiles(directory, "*.pt").Order(StringComparer.Ordinal))
                digests[Path.GetFileName(file)] = Sha256(File.ReadAllBytes(file));
        return digests;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string ToText(JsonObject golden) =>
        golden.ToJsonString(HarnessJson.Indented);

    private static JsonNode? Round(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                return new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Round(p.Value))));
            case JsonArray arr:
                return new JsonArray(arr.Select(Round).ToArray());
            case JsonValue value when value.TryGetValue<double>(out var d) && value.GetValueKind() == JsonValueKind.Number:
                if (Math.Abs(d - Math.Round(d)) < 1e-12 && Math.Abs(d) < 1e15) return JsonValue.Create((long)Math.Round(d));
                return JsonValue.Create(RoundSignificant(d));
            case JsonValue value when value.TryGetValue<string>(out var s) &&
                                      double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var named) &&
                                      !double.IsFinite(named):
                return JsonValue.Create(s); // "NaN", "Infinity" stay as written
            default:
                return node?.DeepClone();
        }
    }

    public static double RoundSignificant(double value)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        int digits = SignificantDigits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return digits is >= 0 and <= 15 ? Math.Round(value, digits) : double.Parse(value.ToString($"G{SignificantDigits}", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
