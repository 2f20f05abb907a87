namespace Harness.Experiments.Slurm;

/// <summary>
/// The part of Slurm Harness uses: sbatch to submit, squeue and scontrol to read job states (never sacct, which a
/// cluster without accounting storage does not answer), scancel to cancel.
/// </summary>
public interface ISlurmScheduler
{
    /// <summary>Submits a script after the jobs it needs (afterok); returns the job id.</summary>
    string Submit(string scriptPath, IReadOnlyList<string> afterOk);

    /// <summary>The state of each job Slurm still knows (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, …); others are absent.</summary>
    IReadOnlyDictionary<string, string> States(IReadOnlyCollection<string> jobIds);
}

/// <summary>What a job state means for an experiment waiting on it.</summary>
public static class SlurmJobStates
{
    private static readonly HashSet<string> Queued = ["PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED"];
    private static readonly HashSet<string> Running = ["RUNNING", "CONFIGURING", "COMPLETING", "RESIZING", "SIGNALING", "STAGE_OUT"];

    public static bool IsQueued(string? state) => state is not null && Queued.Contains(state);

    public static bool IsRunning(string? state) => state is not null && Running.Contains(state);

    /// <summary>Queued or running: the job will still produce (or fail to produce) its result.</summary>
    public static bool IsActive(string? state) => IsQueued(state) || IsRunning(state);
}
