using System.Text.Json.Nodes;
using Harness.Core;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Core.Tracking;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Golden;

/// <summary>
/// Runs experiments at their golden sizes (one thread, CPU unless asked otherwise) and reads or writes the committed snapshots in
/// tests/Golden/DEVICE/__snapshots__/ID.snap (the files the Snapshooter-based golden tests compare against).
/// </summary>
public static class GoldenSnapshots
{
    public static IReadOnlyList<(ExperimentRecord Record, string Directory)> Run(ExperimentsFile file, string outputs,
        IReadOnlyList<string> ids, IProgressReporter progress, DeviceChoice device = DeviceChoice.Cpu)
    {
        var options = new RunOptions(outputs, Force: true, Golden: true, device, GoldenRecord.Threads);
        var runner = new ExperimentRunner(file, options, NullTracker.Instance, progress, TextWriter.Null, CodeVersion.Unknown);
        var plan = runner.Plan(ids);
        return runner.Run(ids).Select(r => (r, plan.Single(p => p.Spec.Id == r.Id).Directory)).ToList();
    }

    public static string SnapshotPath(string repositoryRoot, string deviceClass, string id) =>
        Path.Combine(repositoryRoot, "tests", "Golden", deviceClass, "__snapshots__", id + ".snap");

    /// <summary>Snapshooter writes text snapshots with a UTF-8 byte order mark; so do we, so the files stay identical.</summary>
    public static void Write(string path, JsonObject golden)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, "\uFEFF" + GoldenRecord.ToText(golden));
    }

    public static JsonNode? Read(string path) =>
        File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path).TrimStart('\uFEFF')) : null;

    /// <summary>
    /// Every leaf that differs between two snapshots, as "path: old -> new". A list element that is an object is named by
    /// what identifies it (optimizer, horizon, metric, …: result.optimizers[optimizer=g, horizon=100].final_train_loss.mean),
    /// by its index only where nothing does.
    /// </summary>
    public static IReadOnlyList<string> Diff(JsonNode? before, JsonNode? after)
    {
        var a = Flatten(before);
        var b = Flatten(after);
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => $"{k}: {a.GetValueOrDefault(k) ?? "(absent)"} -> {b.GetValueOrDefault(k) ?? "(absent)"}")
            .ToList();
    }

    /// <summary>The keys that name a list element in a result record, in the order they are shown.</summary>
    private static readonly string[] IdentityKeys =
        ["id", "set", "optimizer", "baseline", "variant", "name", "metric", "horizon", "budget", "epoch", "task", "init", "step"];

    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? n, string path)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) Walk(v, path.Length == 0 ? k : $"{path}.{k}");
                    break;
                case JsonArray arr:
                    var names = arr.Select(Identity).ToList();
                    bool named = names.All(x => x is not null) && names.Distinct().Count() == names.Count;
                    for (int i = 0; i < arr.Count; i++) Walk(arr[i], named ? $"{path}[{names[i]}]" : $"{path}[{i}]");
                    break;
                default:
                    result[path] = n?.ToJsonString() ?? "null";
                    break;
            }
        }
        Walk(node, "");
        return result;
    }

    private static string? Identity(JsonNode? element)
    {
        if (element is not JsonObject o) return null;
        var parts = IdentityKeys.Where(k => o[k] is JsonValue).Select(k => $"{k}={o[k]!.ToJsonString().Trim('"')}").ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    /// <summary>
    /// What a golden test says when a fresh result differs from its committed snapshot: every changed value by its named
    /// path, old -> new, and how to accept the change if it is intended. Null when nothing differs.
    /// </summary>
    public static string? Explain(string id, JsonNode? stored, JsonNode fresh, string? file = null)
    {
        if (stored is null) return null;
        var differences = Diff(stored, fresh);
        if (differences.Count == 0) return null;
        const int shown = 40;
        return $"{id}: {differences.Count} golden value(s) changed (old -> new):" + Environment.NewLine +
               string.Join(Environment.NewLine, differences.Take(shown).Select(d => "  " + d)) +
               (differences.Count > shown ? $"{Environment.NewLine}  … and {differences.Count - shown} more (./harness golden check{(file is null ? "" : $" -f {file}")} {id})" : "") +
               Environment.NewLine + $"If the change is intended: ./harness golden accept{(file is null ? "" : $" -f {file}")} {id}, then commit the snapshot.";
    }
}
