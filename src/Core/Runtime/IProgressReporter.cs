namespace Harness.Core.Runtime;

/// <summary>Progress of long loops; the CLI shows bars on a terminal and plain lines otherwise.</summary>
public interface IProgressReporter
{
    IProgressTask Start(string description, long total);
}

public interface IProgressTask : IDisposable
{
    void Advance(long steps = 1);
    void Describe(string status);
}

public sealed class SilentProgress : IProgressReporter
{
    public static readonly SilentProgress Instance = new();
    public IProgressTask Start(string description, long total) => new Task();

    private sealed class Task : IProgressTask
    {
        public void Advance(long steps = 1) { }
        public void Describe(string status) { }
        public void Dispose() { }
    }
}
