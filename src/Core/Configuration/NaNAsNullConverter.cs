using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Core.Configuration;

/// <summary>
/// Results never hold "NaN": a value that does not exist (the mean over tasks when every task diverged, a ratio with
/// no finite pair) is written as null, next to the count of diverged problems, and read back as NaN. ±∞ keep their names.
/// </summary>
public sealed class NaNAsNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.String => reader.GetString() switch
        {
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var text => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture),
        },
        _ => reader.GetDouble(),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsNaN(value)) writer.WriteNullValue();
        else if (double.IsPositiveInfinity(value)) writer.WriteStringValue("Infinity");
        else if (double.IsNegativeInfinity(value)) writer.WriteStringValue("-Infinity");
        else writer.WriteNumberValue(value);
    }
}
