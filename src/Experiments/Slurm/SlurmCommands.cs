using System.Diagnostics;
using Harness.Core;

namespace Harness.Experiments.Slurm;

/// <summary>Slurm's own commands as child processes: sbatch --parsable, squeue -h -r, scontrol show job -o.</summary>
public sealed class SlurmCommands : ISlurmScheduler
{
    public string Submit(string scriptPath, IReadOnlyList<string> afterOk)
    {
        var args = new List<string> { "--parsable" };
        if (afterOk.Count > 0)
        {
            args.Add("--dependency=afterok:" + string.Join(':', afterOk));
            args.Add("--kill-on-invalid-dep=yes"); // a job whose input failed is cancelled, not left pending forever
        }
        args.Add(scriptPath);
        var (code, stdout, stderr) = Run("sbatch", args);
        if (code != 0)
            throw new UserInputException($"sbatch refused {scriptPath}: {stderr.Trim()} (the script is kept: fix the cause and rerun, or submit it by hand).");
        return stdout.Trim().Split(';')[0]; // "JOBID" or "JOBID;CLUSTER"
    }

    public IReadOnlyDictionary<string, string> States(IReadOnlyCollection<string> jobIds)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        if (jobIds.Count == 0) return states;
        var (code, stdout, stderr) = Run("squeue", ["-h", "-r", "-o", "%i %T"]);
        if (code != 0) throw new UserInputException($"squeue failed: {stderr.Trim()}; is the cluster up (scripts/slurm-local.sh status)?");
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (line.Split(' ') is [var id, var state] && jobIds.Contains(id)) states[id] = state;
        // Finished jobs leave squeue; scontrol knows them for MinJobAge (default 300 s), sacct is not relied on.
        foreach (var id in jobIds.Where(j => !states.ContainsKey(j)))
        {
            var (shown, text, _) = Run("scontrol", ["show", "job", "-o", id]);
            if (shown != 0) continue;
            var field = text.Split(' ').FirstOrDefault(f => f.StartsWith("JobState=", StringComparison.Ordinal));
            if (field is not null) states[id] = field["JobState=".Length..];
        }
        return states;
    }

    private static (int Code, string StdOut, string StdErr) Run(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new UserInputException($"{program} is not on PATH: run on a machine of the Slurm cluster (a login node), or start a " +
                                         "one-node cluster here with sudo scripts/slurm-local.sh up.");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new UserInputException($"{program} did not answer within 60 s: is slurmctld up (scontrol ping)?");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
