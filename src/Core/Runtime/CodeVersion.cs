using System.Diagnostics;

namespace Harness.Core.Runtime;

/// <summary>The code's version for provenance and spec hashes: git commit, branch and whether the tree is dirty.</summary>
public sealed record CodeVersion(string Commit, string Branch, bool Dirty, string? DiffHash = null)
{
    public static readonly CodeVersion Unknown = new("unknown", "unknown", false);

    private static readonly Lazy<CodeVersion> Current = new(() => Detect(AppContext.BaseDirectory));

    /// <summary>The version of the checkout the running program was built in (found from its own folder).</summary>
    public static CodeVersion OfThisProgram => Current.Value;

    /// <summary>
    /// The commit, plus a hash of the uncommitted changes when the tree is dirty, so that editing code between two
    /// runs changes the spec hashes (a cached result never outlives the code that made it).
    /// </summary>
    public override string ToString() => Dirty ? $"{Commit}+dirty.{DiffHash}" : Commit;

    public static CodeVersion Detect(string directory)
    {
        var commit = Git(directory, "rev-parse", "HEAD");
        if (commit is null) return Unknown;
        var branch = Git(directory, "rev-parse", "--abbrev-ref", "HEAD") ?? "unknown";
        var status = Git(directory, "status", "--porcelain", "--untracked-files=normal");
        if (string.IsNullOrEmpty(status)) return new CodeVersion(commit, branch, false);
        // Tracked changes by content; untracked files by name (their content is not hashed).
        var diff = Git(directory, "diff", "HEAD") ?? "";
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(status + "\n" + diff));
        return new CodeVersion(commit, branch, true, Convert.ToHexStringLower(digest)[..12]);
    }

    private static string? Git(string directory, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed
        }
    }
}
