using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Configuration;
using Harness.Core.Specs;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Golden;

/// <summary>
/// What a golden snapshot holds for one experiment: its id, kind, device class, pinned thread count and its result
/// record with every number rounded to <see cref="SignificantDigits"/> significant digits. That rounding is the
/// declared tolerance of the recorded layer: hardware may change the last bits of a float, not its first digits.
/// </summary>
public static class GoldenRecord
{
    public const int SignificantDigits = 4;

    /// <summary>The thread count golden runs pin (written into every snapshot).</summary>
    public const int Threads = 1;

    public static JsonObject From(ExperimentRecord record) => new()
    {
        ["id"] = record.Id,
        ["kind"] = record.Kind,
        ["device"] = record.Device,
        ["threads"] = record.Threads,
        ["significant_digits"] = SignificantDigits,
        ["result"] = Round(record.Result),
    };

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
