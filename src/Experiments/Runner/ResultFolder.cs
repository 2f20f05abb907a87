using Harness.Core.Runtime;
using System.Text.Json;
using Harness.Core;
using Harness.Core.Configuration;

namespace Harness.Experiments.Runner;

/// <summary>
/// An experiment's result folder, outputs/ID/HASH/: built aside in a staging folder, then moved into place whole, so
/// a folder with result.json is always complete; and read back (the record, or the kind's result inside it).
/// </summary>
public static class ResultFolder
{
    public const string ResultFileName = "result.json";

    /// <summary>A new, empty staging folder beside the result folder (one per process and attempt).</summary>
    /// <summary>
    /// Removes what killed processes left in an outputs folder: staging folders (.staging-HASH-PID-…) and temporary
    /// files (.NAME.PID.….tmp) whose process no longer runs. Returns how many were removed.
    /// </summary>
    public static int RemoveStale(string outputsDirectory)
    {
        if (!Directory.Exists(outputsDirectory)) return 0;
        int removed = 0;
        static bool Dead(string name, Index pidField, char separator) =>
            name.Split(separator) is var parts && parts.Length >= 4 &&
            int.TryParse(parts[pidField], System.Globalization.CultureInfo.InvariantCulture, out var pid) &&
            pid != Environment.ProcessId && !ProcessIdentity.IsAlive(pid);
        foreach (var folder in Directory.EnumerateDirectories(outputsDirectory).Prepend(outputsDirectory))
        {
            foreach (var staging in Directory.EnumerateDirectories(folder, ".staging-*").Where(d => Dead(Path.GetFileName(d), 2, '-')))
            {
                try { Directory.Delete(staging, recursive: true); removed++; }
                catch (IOException) { /* another process removed it first */ }
            }
            foreach (var temp in Directory.EnumerateFiles(folder, ".*.tmp").Where(f => Dead(Path.GetFileName(f), ^3, '.')))
            {
                try { File.Delete(temp); removed++; }
                catch (IOException) { }
            }
        }
        return removed;
    }

    public static string CreateStaging(string resultDirectory, string hash)
    {
        var parent = Path.GetDirectoryName(resultDirectory)!;
        var staging = Path.Combine(parent, $".staging-{hash}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>
    /// Moves a finished staging folder into place. A complete folder already there wins (a concurrent run produced the
    /// same result), unless replace is set (--force): then the old folder is moved aside first and removed after.
    /// </summary>
    public static void Publish(string staging, string target, bool replace)
    {
        string? aside = null;
        if (Directory.Exists(target))
        {
            if (File.Exists(Path.Combine(target, ResultFileName)) && !replace) return;
            aside = target + $".old-{Guid.NewGuid():N}";
            Directory.Move(target, aside);
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, ResultFileName)))
        {
            // Another process published the same result first: identical by construction.
        }
        if (aside is not null) Directory.Delete(aside, recursive: true);
    }

    public static string Serialize(ExperimentRecord record) =>
        JsonSerializer.Serialize(record, HarnessJson.Indented) + "\n";

    public static ExperimentRecord ReadRecord(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ExperimentRecord>(File.ReadAllText(path), HarnessJson.Options)
                   ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: the cached result is damaged ({e.Message}); rerun with --force.");
        }
    }

    /// <summary>The kind's result record of a finished experiment folder (for kinds that restore from cache).</summary>
    public static T ReadResult<T>(string directory) where T : class
    {
        var path = Path.Combine(directory, ResultFileName);
        var result = ReadRecord(path).Result;
        return (result is null ? null : JsonSerializer.Deserialize<T>(result, HarnessJson.Options))
               ?? throw new UserInputException($"{path}: the cached result has no result record; rerun with --force.");
    }

    /// <summary>Fails early, as the user's mistake, when the outputs folder is a file or cannot be written.</summary>
    public static void EnsureWritableOutputs(string outputsDirectory) =>
        UserPaths.EnsureFolderTarget(outputsDirectory, "the outputs folder", "pass --outputs DIR");
}
