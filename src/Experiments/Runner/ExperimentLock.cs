namespace Harness.Experiments.Runner;

/// <summary>
/// One process at a time computes a given experiment (id and hash) in an outputs folder: an exclusive lock file
/// beside its result (outputs/ID/.lock-HASH). A second `harness run` waits, then finds the result finished and reuses
/// it, instead of sharing staging and resume-checkpoint folders with the first. The kernel drops the lock of a
/// process that dies, even by SIGKILL.
/// </summary>
public sealed class ExperimentLock : IDisposable
{
    private readonly FileStream _stream;

    private ExperimentLock(FileStream stream) => _stream = stream;

    public static ExperimentLock Acquire(string lockPath, Action onWait, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        bool announced = false;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                return new ExperimentLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                if (!announced) onWait();
                announced = true;
                Thread.Sleep(200);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
