using System.Globalization;
using Harness.Core.Runtime;

namespace Harness.Experiments.Slurm;

/// <summary>
/// outputs/slurm/jobs.tsv: every experiment submitted, with its spec hash, job id (JOBID, or JOBID_TASK in an array),
/// script and log. `status` and a rerun read it to find each experiment's latest job; the scripts sit beside it.
/// </summary>
public static class SlurmLedger
{
    public const string Folder = "slurm", FileName = "jobs.tsv";
    private const string Header = "experiment\thash\tjob\tscript\tlog\tsubmitted_utc";

    public sealed record Entry(string Id, string Hash, string Job, string Script, string Log, DateTime Submitted);

    public static string FolderOf(string outputs) => Path.Combine(Path.GetFullPath(outputs), Folder);

    public static IReadOnlyList<Entry> Read(string outputs)
    {
        var path = Path.Combine(FolderOf(outputs), FileName);
        if (!File.Exists(path)) return [];
        return File.ReadLines(path).Skip(1).Select(l => l.Split('\t')).Where(f => f.Length == 6)
            .Select(f => new Entry(f[0], f[1], f[2], f[3], f[4],
                DateTime.TryParse(f[5], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t) ? t : DateTime.MinValue))
            .ToList();
    }

    /// <summary>The latest job of each (experiment, hash).</summary>
    public static IReadOnlyDictionary<(string Id, string Hash), Entry> Latest(string outputs) =>
        Read(outputs).GroupBy(e => (e.Id, e.Hash)).ToDictionary(g => g.Key, g => g.Last());

    public static void Append(string outputs, IEnumerable<Entry> entries)
    {
        var path = Path.Combine(FolderOf(outputs), FileName);
        var existing = File.Exists(path) ? File.ReadAllText(path) : Header + "\n";
        var lines = entries.Select(e => string.Join('\t', e.Id, e.Hash, e.Job, e.Script, e.Log,
            e.Submitted.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)) + "\n");
        AtomicFile.WriteAllText(path, existing + string.Concat(lines));
    }
}
