using System.Security.Cryptography;
using System.Text;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Slurm;

/// <summary>
/// Puts an experiment graph on Slurm: every planned experiment without a result becomes a job running `harness run ID`,
/// after the jobs of its inputs (--dependency=afterok), so Slurm orders the graph. Members of one matrix that are ready
/// together, with one kind and one set of resources, become a job array. An experiment whose latest job is still
/// queued or running is not submitted again: its job is what the others wait for. Scripts and the ledger are written
/// to outputs/slurm/, so a user can read and resubmit them.
/// </summary>
public sealed class SlurmExecutor(
    ExperimentsFile file,
    string outputs,
    ISlurmScheduler slurm,
    SlurmResources? commandLine,
    IReadOnlyList<string> command,
    IReadOnlyList<string> runArguments,
    string workingDirectory,
    int threads)
{
    /// <summary>What happened to one planned experiment.</summary>
    public sealed record Submission(string Id, string Hash, string Action, string? Job, IReadOnlyList<string> AfterOk, string? Script, string? Log);

    public const string Cached = "cached", Submitted = "submitted", AlreadyQueued = "already queued", AlreadyRunning = "already running";

    public IReadOnlyList<Submission> Submit(IReadOnlyList<PlannedExperiment> plan)
    {
        var folder = SlurmLedger.FolderOf(outputs);
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        var latest = SlurmLedger.Latest(outputs);
        var planned = plan.ToDictionary(p => p.Spec.Id, StringComparer.Ordinal);
        var known = plan.Where(p => !p.Cached && latest.ContainsKey((p.Spec.Id, p.Hash))).Select(p => latest[(p.Spec.Id, p.Hash)].Job).ToList();
        var states = slurm.States(known);

        var results = new Dictionary<string, Submission>(StringComparer.Ordinal);
        var jobOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new List<PlannedExperiment>();
        foreach (var p in plan)
        {
            if (p.Cached)
            {
                results[p.Spec.Id] = new Submission(p.Spec.Id, p.Hash, Cached, null, [], null, null);
                continue;
            }
            if (latest.TryGetValue((p.Spec.Id, p.Hash), out var entry) && SlurmJobStates.IsActive(states.GetValueOrDefault(entry.Job)))
            {
                jobOf[p.Spec.Id] = entry.Job;
                var action = SlurmJobStates.IsRunning(states[entry.Job]) ? AlreadyRunning : AlreadyQueued;
                results[p.Spec.Id] = new Submission(p.Spec.Id, p.Hash, action, entry.Job, [], entry.Script, entry.Log);
                continue;
            }
            pending.Add(p);
        }

        // Waves: what has every input done, cached or submitted, goes next (a matrix's members in it as one array).
        var ledger = new List<SlurmLedger.Entry>();
        while (pending.Count > 0)
        {
            var ready = pending.Where(p => InputsOf(p, planned).All(i => planned[i].Cached || jobOf.ContainsKey(i))).ToList();
            if (ready.Count == 0) throw new InvalidOperationException("the plan has an input that is neither cached nor submitted");
            foreach (var group in ready.GroupBy(p => (Matrix: MatrixOf(p.Spec.Id), p.Spec.Kind, Resources: Resources(p))))
            {
                var members = group.ToList();
                var batches = group.Key.Matrix is null ? members.Select(m => new List<PlannedExperiment> { m }).ToList() : [members];
                foreach (var batch in batches)
                {
                    var afterOk = batch.SelectMany(p => InputsOf(p, planned)).Where(jobOf.ContainsKey).Select(i => jobOf[i]).Distinct().Order(StringComparer.Ordinal).ToList();
                    var (script, logPattern) = Write(batch, group.Key.Matrix, group.Key.Resources, folder);
                    var job = slurm.Submit(script, afterOk);
                    for (int i = 0; i < batch.Count; i++)
                    {
                        var p = batch[i];
                        var taskJob = batch.Count > 1 ? $"{job}_{i}" : job;
                        var log = batch.Count > 1
                            ? logPattern.Replace("%A", job, StringComparison.Ordinal).Replace("%a", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                            : logPattern.Replace("%j", job, StringComparison.Ordinal);
                        jobOf[p.Spec.Id] = taskJob;
                        results[p.Spec.Id] = new Submission(p.Spec.Id, p.Hash, Submitted, taskJob, afterOk, script, log);
                        ledger.Add(new SlurmLedger.Entry(p.Spec.Id, p.Hash, taskJob, script, log, DateTime.UtcNow));
                    }
                }
            }
            pending = pending.Except(ready).ToList();
        }
        SlurmLedger.Append(outputs, ledger);
        return plan.Select(p => results[p.Spec.Id]).ToList();
    }

    private SlurmResources Resources(PlannedExperiment p)
    {
        var resources = SlurmKindResources.For(p.Spec.Kind, file.SlurmBlock, commandLine);
        return resources.Cpus < threads ? resources with { Cpus = threads } : resources; // every thread gets a core
    }

    private static IEnumerable<string> InputsOf(PlannedExperiment p, IReadOnlyDictionary<string, PlannedExperiment> planned) =>
        p.Spec.Inputs.Where(planned.ContainsKey);

    private string? MatrixOf(string id) =>
        file.Matrices?.FirstOrDefault(m => m.Value.Contains(id, StringComparer.Ordinal)).Key;

    private (string Script, string LogPattern) Write(IReadOnlyList<PlannedExperiment> batch, string? matrix,
        SlurmResources resources, string folder)
    {
        string stem = batch.Count == 1
            ? $"{batch[0].Spec.Id}-{batch[0].Hash}"
            : $"{matrix}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", batch.Select(b => b.Hash)))))[..16].ToLowerInvariant()}";
        var script = Path.Combine(folder, stem + ".sbatch");
        var log = Path.Combine(folder, "logs", batch.Count == 1 ? stem + "-%j.log" : stem + "-%A_%a.log");
        var name = "harness:" + (batch.Count == 1 ? batch[0].Spec.Id : matrix);
        var text = new SlurmJobScript(name, batch.Select(b => (b.Spec.Id, b.Hash)).ToList(), resources, log, workingDirectory,
            command, runArguments).Render(script);
        AtomicFile.WriteAllText(script, text);
        return (script, log);
    }
}
