using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Core.Configuration;

/// <summary>
/// The project's one JSON form, for specs, results and checkpoint headers alike: snake_case keys, kebab-case enums,
/// NaN as null, ±∞ by name, derived (read-only) values left out. Changing it changes spec hashes and what old
/// results and checkpoints read as, so it lives apart from any one of them.
/// </summary>
public static class HarnessJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new NaNAsNullConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
        IgnoreReadOnlyProperties = true, // derived values (Resolved*, counts) are not part of a spec or result
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The same form, indented (result.json and checkpoint headers, read by people too).</summary>
    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
