using System.Diagnostics;

namespace Harness.Tests.Integration;

/// <summary>Runs the real `harness` CLI (built next to the tests) as a child process in a working folder.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + StdErr;
    }

    public static Result Run(string workingDirectory, params string[] args) =>
        Run(workingDirectory, new Dictionary<string, string?>(), args);

    public static Result Run(string workingDirectory, IDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "harness.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        // A null value removes the variable (the test process's own portable pins, say, which a child would inherit).
        // The caller's folder of a `./harness` invocation around the tests must not move the child out of its folder.
        if (!environment.ContainsKey("HARNESS_CALLER_DIR")) start.Environment.Remove("HARNESS_CALLER_DIR");
        foreach (var (key, value) in environment)
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"harness {string.Join(' ', args)} did not finish in 10 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "harness-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
