using System.Diagnostics;

namespace Harness.Core.Runtime;

/// <summary>
/// The code's version: git commit, branch and whether the tree is dirty (provenance), and the hash of the files that
/// compute results (the cache key: <see cref="ResultKey"/>).
/// </summary>
public sealed record CodeVersion(string Commit, string Branch, bool Dirty, string? DiffHash = null, string? SourceHash = null)
{
    /// <summary>
    /// The files whose content can change a result: C# sources, project files and the central package and build
    /// props. README, docs/, research notes and tests are not among them, so a documentation commit keeps every cached
    /// result (experiments.yaml is hashed per experiment, as its resolved spec).
    /// </summary>
    public static bool ComputesResults(string relativePath)
    {
        var path = relativePath.Replace('\\', '/');
        if (path is "Directory.Build.props" or "Directory.Packages.props") return true;
        if (!path.StartsWith("src/", StringComparison.Ordinal) || path.Contains("/bin/") || path.Contains("/obj/")) return false;
        return path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".csproj", StringComparison.Ordinal) ||
               path.EndsWith(".props", StringComparison.Ordinal) || path.EndsWith(".targets", StringComparison.Ordinal);
    }

    /// <summary>What spec hashes use: the source hash where it is known, else the commit (and the dirty diff).</summary>
    public string ResultKey => SourceHash is not null ? $"source.{SourceHash}" : ToString();

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
        var source = HashSources(directory);
        var status = Git(directory, "status", "--porcelain", "--untracked-files=normal");
        if (string.IsNullOrEmpty(status)) return new CodeVersion(commit, branch, false, null, source);
        // Tracked changes by content; untracked files by name (their content is not hashed).
        var diff = Git(directory, "diff", "HEAD") ?? "";
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(status + "\n" + diff));
        return new CodeVersion(commit, branch, true, Convert.ToHexStringLower(digest)[..12], source);
    }

    /// <summary>
    /// The hash of every file that computes results (tracked or untracked, not ignored), by path and content as they
    /// are in the work tree; null when git cannot list them.
    /// </summary>
    private static string? HashSources(string directory)
    {
        var root = Git(directory, "rev-parse", "--show-toplevel");
        var listing = root is null ? null : Git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
        if (root is null || listing is null) return null;
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var path in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(ComputesResults).Distinct().Order(StringComparer.Ordinal))
        {
            var full = Path.Combine(root, path);
            if (!File.Exists(full)) continue; // deleted in the work tree
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(path + "\0"));
            sha.AppendData(File.ReadAllBytes(full));
            sha.AppendData([0]);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
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
