using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Harness.Core.Configuration;
using Harness.Core.Runtime;

namespace Harness.Core.Specs;

/// <summary>
/// Canonical forms and hashes of specs. The hash covers the kind, seed, resolved settings (keys sorted, so the order
/// in the file does not matter), the inputs' hashes, dataset fingerprints and the code that computes results (<see cref="CodeVersion.ResultKey"/>: source files, not docs).
/// </summary>
public static class SpecHasher
{
    /// <summary>The settings record as JSON with sorted keys.</summary>
    public static JsonNode? CanonicalSettings(object settings) =>
        Sort(JsonSerializer.SerializeToNode(settings, settings.GetType(), HarnessJson.Options));

    /// <summary>
    /// The hash of an experiment. Results depend on the device class, libtorch's thread count and the numerics mode too
    /// (fast numerics follow the CPU's instruction sets, so its results are never mistaken for portable ones).
    /// </summary>
    public static string ExperimentHash(ExperimentSpec spec, bool golden, IEnumerable<string> inputHashes, CodeVersion code,
        string device = "cpu", int threads = 1, NumericsMode numerics = NumericsMode.Portable)
    {
        var canonical = new JsonObject
        {
            ["format"] = "harness-spec-v1",
            ["kind"] = spec.Kind,
            ["seed"] = spec.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["golden"] = golden,
            ["settings"] = CanonicalSettings(spec.SettingsFor(golden)),
            ["inputs"] = new JsonArray(inputHashes.Select(h => (JsonNode?)JsonValue.Create(h)).ToArray()),
            ["code"] = code.ResultKey,
            ["device"] = device,
            ["threads"] = threads,
            ["numerics"] = numerics.Name(),
        };
        // Only when declared, so specs without it keep their hashes.
        if (spec.SeedStream is not null) canonical["seed_stream"] = spec.SeedStream;
        return Hash(canonical.ToJsonString());
    }

    public static string DatasetHash(DatasetSpec spec, string fingerprint)
    {
        var canonical = new JsonObject
        {
            ["format"] = "harness-dataset-spec-v1",
            ["generate"] = spec.Generate is null ? null : CanonicalSettings(spec.Generate),
            ["fingerprint"] = fingerprint,
        };
        return Hash(canonical.ToJsonString());
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray arr => new JsonArray(arr.Select(Sort).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
