namespace Harness.Core.Runtime;

/// <summary>
/// Checks a path the user chose for output before anything is written: a folder where a file is asked for, a file
/// where a folder is asked for, a file among its parent folders, or a place that cannot be written is the user's
/// mistake (what, where, how to fix), never a raw IOException, and nothing is left behind.
/// </summary>
public static class UserPaths
{
    /// <summary>A file to be written at <paramref name="path"/>; its folder is created.</summary>
    public static string EnsureFileTarget(string path, string what)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new UserInputException($"{what} {path} is a folder: give a file's path, e.g. {Path.Combine(path, "out" + Path.GetExtension(path))}" +
                                         (Path.GetExtension(path).Length == 0 ? " with its extension." : "."));
        EnsureFolder(Path.GetDirectoryName(full)!, path, what);
        return full;
    }

    /// <summary>A folder to write into at <paramref name="path"/>, created and probed for writing.</summary>
    public static string EnsureFolderTarget(string path, string what, string howToFix)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new UserInputException($"{what} {full} is a file, not a folder: move it away or {howToFix}.");
        EnsureFolder(full, path, what, howToFix);
        try
        {
            var probe = Path.Combine(full, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot write to {what} {full} ({e.Message}): {howToFix} with a writable folder.");
        }
        return full;
    }

    private static void EnsureFolder(string folder, string given, string what, string? howToFix = null)
    {
        for (var ancestor = folder; !string.IsNullOrEmpty(ancestor); ancestor = Path.GetDirectoryName(ancestor))
        {
            if (Directory.Exists(ancestor)) break;
            if (File.Exists(ancestor))
                throw new UserInputException($"{what} {given} cannot be created: {ancestor} is a file, not a folder; " +
                                             (howToFix ?? "choose a path under a folder") + ".");
        }
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot write {what} {given} ({e.Message}): " + (howToFix ?? "choose a writable folder") + ".");
        }
    }
}
