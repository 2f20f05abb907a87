using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Core.Specs;

/// <summary>Writes a resolved experiment spec as YAML (the artifact a reader compares runs by) and flattens it for params.</summary>
public static class ResolvedSpecWriter
{
    public static string ToYaml(ExperimentSpec spec, bool golden, string hash)
    {
        var sb = new StringBuilder();
        sb.Append("id: ").Append(spec.Id).Append('\n');
        sb.Append("kind: ").Append(spec.Kind).Append('\n');
        sb.Append("seed: ").Append(spec.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (spec.SeedStream is not null) sb.Append("seed_stream: ").Append(spec.SeedStream).Append('\n');
        if (spec.Sealed) sb.Append("sealed: true\n");
        sb.Append("golden: ").Append(golden ? "true" : "false").Append('\n');
        sb.Append("spec_hash: ").Append(hash).Append('\n');
        sb.Append("inputs: [").Append(string.Join(", ", spec.Inputs)).Append("]\n");
        sb.Append("settings:");
        Write(sb, SpecHasher.CanonicalSettings(spec.SettingsFor(golden)), 1);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int depth)
    {
        var indent = new string(' ', 2 * depth);
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                sb.Append('\n');
                foreach (var (key, value) in obj)
                {
                    sb.Append(indent).Append(key).Append(':');
                    Write(sb, value, depth + 1);
                }
                break;
            case JsonArray arr:
                sb.Append(" [").Append(string.Join(", ", arr.Select(v => v?.ToJsonString() ?? "null"))).Append("]\n");
                break;
            case null:
                sb.Append(" null\n");
                break;
            default:
                sb.Append(' ').Append(node is JsonObject ? "{}" : node.ToJsonString().Trim('"')).Append('\n');
                break;
        }
    }

    /// <summary>Flattens settings to dotted keys (meta.horizon = 100), as MLflow params.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(object settings)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string prefix)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (k, v) in obj) Walk(v, prefix.Length == 0 ? k : $"{prefix}.{k}");
                    break;
                case JsonArray arr:
                    result[prefix] = "[" + string.Join(", ", arr.Select(v => v?.ToJsonString().Trim('"') ?? "null")) + "]";
                    break;
                case null:
                    result[prefix] = "null";
                    break;
                default:
                    result[prefix] = node.ToJsonString().Trim('"');
                    break;
            }
        }
        Walk(SpecHasher.CanonicalSettings(settings), "");
        return result;
    }
}
