using System.Globalization;
using System.Reflection;
using System.Text;
using Harness.Core.Runtime;

namespace Harness.Experiments.Runner;

/// <summary>
/// report.md for one `harness run`: provenance (commit, device, threads, package versions), every experiment's spec
/// hash, seed, status and time, its printed tables and its plots (linked relative to the outputs folder, where the
/// report is written). The same file is logged to the parent MLflow run.
/// </summary>
public static class RunReport
{
    public const string FileName = "report.md";

    public sealed record Entry(PlannedExperiment Item, ExperimentRecord Record, IExperimentOutput Output, bool Reused);

    public static string Build(string title, string outputsDirectory, IReadOnlyDictionary<string, string> provenance,
        IReadOnlyList<Entry> entries, DateTime generatedUtc)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"# {title}\n\nGenerated {generatedUtc:yyyy-MM-dd HH:mm:ss} UTC.\n");
        var headlines = entries.Where(e => e.Output is IHeadlineOutput).ToList();
        if (headlines.Count > 0) sb.Append("\n## Headline\n");
        foreach (var e in headlines)
            sb.Append(inv, $"\n**{e.Item.Spec.Id}**: {((IHeadlineOutput)e.Output).Headline().TrimEnd()}\n");
        sb.Append("\n## Provenance\n\n| | |\n|---|---|\n");
        foreach (var (key, value) in provenance) sb.Append(inv, $"| {key} | {value} |\n");

        sb.Append("\n## Experiments\n\n| id | kind | seed | spec hash | status | wall time | folder |\n|---|---|---|---|---|---|---|\n");
        foreach (var e in entries)
            sb.Append(inv, $"| {e.Item.Spec.Id} | {e.Item.Spec.Kind} | {e.Item.Spec.Seed} | `{e.Item.Hash}` | " +
                           $"{(e.Reused ? "cached" : "ran")} | {e.Record.WallSeconds:F1} s | {Link(outputsDirectory, e.Item.Directory)} |\n");

        foreach (var e in entries)
        {
            sb.Append(inv, $"\n## {e.Item.Spec.Id}\n\n{e.Output.Describe().TrimEnd()}\n");
            if (!Directory.Exists(e.Item.Directory)) continue;
            foreach (var png in Directory.EnumerateFiles(e.Item.Directory, "*.png").Order(StringComparer.Ordinal))
                sb.Append(inv, $"\n![{Path.GetFileNameWithoutExtension(png)}]({Link(outputsDirectory, png)})\n");
        }
        return sb.ToString();
    }

    /// <summary>Versions of the runtime and of the packages results depend on.</summary>
    public static IEnumerable<(string Key, string Value)> PackageVersions()
    {
        yield return (".NET", Environment.Version.ToString());
        yield return ("TorchSharp", TorchRuntime.TorchSharpVersion);
        yield return ("libtorch", TorchRuntime.LibTorchVersion);
        foreach (var (name, type) in new[] { ("MathNet.Numerics", typeof(MathNet.Numerics.Statistics.Statistics)),
                     ("ScottPlot", typeof(ScottPlot.Plot)), ("YamlDotNet", typeof(YamlDotNet.Serialization.Deserializer)) })
            yield return (name, Version(type.Assembly));
        yield return ("native allocator tuned", NativeAllocator.Tuned ? "yes" : "no");
        yield return ("OS", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    private static string Link(string from, string to) =>
        Path.GetRelativePath(Path.GetFullPath(from), Path.GetFullPath(to)).Replace(Path.DirectorySeparatorChar, '/');
}
