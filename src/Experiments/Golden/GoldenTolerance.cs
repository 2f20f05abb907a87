using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Experiments.Golden;

/// <summary>
/// The declared tolerance of the recorded layer, applied before Snapshooter's exact text comparison: a fresh number
/// within <see cref="Relative"/> of the stored one takes the stored value. Rounding to 4 significant digits alone
/// is fragile at rounding boundaries (0.58505 vs 0.58495 rounds to 0.5851 vs 0.585 although they differ by 2e-4);
/// a real change, such as g's log/sign p moving from 10 to 5 (meta-loss 88.04 -> 83.91), is far outside it.
/// </summary>
public static class GoldenTolerance
{
    /// <summary>Two units in the 4th significant digit.</summary>
    public const double Relative = 2e-3;

    /// <summary>A copy of <paramref name="fresh"/> where every number within tolerance of <paramref name="stored"/> takes the stored value.</summary>
    public static JsonObject Settle(JsonObject fresh, JsonNode? stored) => (JsonObject)Settle((JsonNode)fresh, stored)!;

    private static JsonNode? Settle(JsonNode? fresh, JsonNode? stored)
    {
        switch (fresh)
        {
            case JsonObject obj:
                var storedObject = stored as JsonObject;
                return new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Settle(p.Value, storedObject?[p.Key]))));
            case JsonArray arr:
                var storedArray = stored as JsonArray;
                return new JsonArray(arr.Select((item, i) => Settle(item, storedArray is not null && i < storedArray.Count ? storedArray[i] : null)).ToArray());
            case JsonValue value when IsNumber(value, out var a) && stored is JsonValue old && IsNumber(old, out var b) && Close(a, b):
                return old.DeepClone();
            default:
                return fresh?.DeepClone();
        }
    }

    public static bool Close(double a, double b) => a == b || Math.Abs(a - b) <= Relative * Math.Max(Math.Abs(a), Math.Abs(b));

    private static bool IsNumber(JsonValue value, out double number)
    {
        number = 0;
        return value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out number);
    }
}
