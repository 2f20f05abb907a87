namespace Harness.Tests.Support;

/// <summary>The repository's root, found from the test binaries' folder (never from PDB source paths, which CI rewrites).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Harness.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException(
            $"cannot find Harness.sln above {AppContext.BaseDirectory}: run the tests from the repository");
    }
}
