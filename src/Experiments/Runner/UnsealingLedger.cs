using System.Globalization;
using System.Text;
using Harness.Core.Runtime;

namespace Harness.Experiments.Runner;

/// <summary>
/// The committed record of every opening of a sealed split (research/unsealed.md): one table row per unsealed
/// experiment run, with date, commit, experiment, spec hash, the sealed splits and the reason given. A sealed split
/// is for final claims; the ledger shows how often, when and why its tasks were looked at.
/// </summary>
public static class UnsealingLedger
{
    public const string FileName = "unsealed.md";

    public sealed record Entry(DateTime When, string Commit, string Experiment, string SpecHash, IReadOnlyList<string> Splits, string Reason);

    private const string Header =
        "# Unsealings of sealed splits\n\n" +
        "Written by `harness run --unseal \"reason\"`, one row per experiment run that read a sealed split (golden runs never do).\n" +
        "A sealed split is for final claims: each row is one look at its tasks. Commit this file with the result it produced.\n\n" +
        "| date (UTC) | commit | experiment | spec hash | sealed splits | reason |\n" +
        "|---|---|---|---|---|---|\n";

    /// <summary>research/unsealed.md of the repository holding the experiments file (the nearest folder up with .git), else beside the file.</summary>
    public static string DefaultPath(string experimentsFile)
    {
        var start = Path.GetDirectoryName(Path.GetFullPath(experimentsFile))!;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                return Path.Combine(dir.FullName, "research", FileName);
        return Path.Combine(start, "research", FileName);
    }

    public static void Append(string path, Entry entry)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var text = File.Exists(path) ? File.ReadAllText(path) : Header;
        if (!text.EndsWith('\n')) text += "\n";
        var row = new StringBuilder();
        row.Append(CultureInfo.InvariantCulture,
            $"| {entry.When:yyyy-MM-dd HH:mm} | {Cell(entry.Commit)} | {Cell(entry.Experiment)} | {entry.SpecHash} | {Cell(string.Join(", ", entry.Splits))} | {Cell(entry.Reason)} |\n");
        AtomicFile.WriteAllText(path, text + row);
    }

    /// <summary>The rows of a ledger (its table's lines after the header), for tests and `harness status`-like readers.</summary>
    public static IReadOnlyList<string> Rows(string path) => File.Exists(path)
        ? File.ReadAllLines(path).Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| date", StringComparison.Ordinal)).ToList()
        : [];

    /// <summary>A table cell: one line, no pipe.</summary>
    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "/", StringComparison.Ordinal).Trim();
}
