using Harness.Experiments.Runner;

namespace Harness.Experiments.Slurm;

/// <summary>
/// Where each planned experiment stands, from the outputs folder (a result there: cached) and from Slurm for its latest
/// job in outputs/slurm/jobs.tsv: queued, running, or failed (its job ended without a result: the log says why).
/// </summary>
public static class ExperimentStatus
{
    public const string Cached = "cached", Queued = "queued", Running = "running", Failed = "failed", NotSubmitted = "not submitted";

    public sealed record Row(string Id, string Hash, string State, string? Job, string? SlurmState, string? Log);

    public static IReadOnlyList<Row> Of(IReadOnlyList<PlannedExperiment> plan, string outputs, ISlurmScheduler slurm)
    {
        var latest = SlurmLedger.Latest(outputs);
        var jobs = plan.Where(p => latest.ContainsKey((p.Spec.Id, p.Hash))).Select(p => latest[(p.Spec.Id, p.Hash)].Job).Distinct().ToList();
        var states = jobs.Count == 0 ? new Dictionary<string, string>() : slurm.States(jobs);
        return plan.Select(p =>
        {
            bool done = File.Exists(p.ResultPath);
            if (!latest.TryGetValue((p.Spec.Id, p.Hash), out var entry))
                return new Row(p.Spec.Id, p.Hash, done ? Cached : NotSubmitted, null, null, null);
            var state = states.GetValueOrDefault(entry.Job);
            var shown = done ? Cached
                : SlurmJobStates.IsQueued(state) ? Queued
                : SlurmJobStates.IsRunning(state) ? Running
                : Failed; // ended (any state, or forgotten by Slurm) without a result
            return new Row(p.Spec.Id, p.Hash, shown, entry.Job, state ?? "gone", entry.Log);
        }).ToList();
    }
}
