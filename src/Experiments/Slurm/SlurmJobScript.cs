using System.Text;
using Harness.Core.Specs;

namespace Harness.Experiments.Slurm;

/// <summary>
/// One sbatch script: `harness run ID` for one experiment, or for each member of a matrix as a job array (task i runs
/// the i-th id). Dependencies are not in the script but on sbatch's command line (they are job ids known only at
/// submission), so a user can read a script and resubmit it by hand. Nothing secret is written: the tracking URI
/// and its credentials reach the job through the environment sbatch exports.
/// </summary>
public sealed record SlurmJobScript(
    string Name,
    IReadOnlyList<(string Id, string Hash)> Experiments,
    SlurmResources Resources,
    string LogPattern,
    string WorkingDirectory,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> RunArguments)
{
    public bool IsArray => Experiments.Count > 1;

    public string Render(string scriptPath)
    {
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append($"#SBATCH --job-name={Name}\n");
        sb.Append($"#SBATCH --output={LogPattern}\n");
        sb.Append($"#SBATCH --cpus-per-task={Resources.Cpus}\n");
        if (Resources.Memory is { } memory) sb.Append($"#SBATCH --mem={memory}\n");
        if (Resources.Time is { } time) sb.Append($"#SBATCH --time={time}\n");
        if (Resources.Partition is { } partition) sb.Append($"#SBATCH --partition={partition}\n");
        if (IsArray) sb.Append($"#SBATCH --array=0-{Experiments.Count - 1}\n");
        sb.Append($"#SBATCH --chdir={WorkingDirectory}\n");
        sb.Append($"# Written by `harness run --executor slurm`: {string.Join(", ", Experiments.Select(e => $"{e.Id} (spec hash {e.Hash})"))}.\n");
        sb.Append($"# Resubmit by hand: sbatch [--dependency=afterok:JOBID…] {scriptPath}\n");
        sb.Append("set -euo pipefail\n");
        string id;
        if (IsArray)
        {
            sb.Append($"ids=({string.Join(' ', Experiments.Select(e => Quote(e.Id)))})\n");
            sb.Append("id=\"${ids[$SLURM_ARRAY_TASK_ID]}\"\n");
            id = "\"$id\"";
        }
        else id = Quote(Experiments[0].Id);
        sb.Append("exec ").AppendJoin(' ', Command.Append("run").Concat(RunArguments).Select(Quote)).Append(' ').Append(id).Append('\n');
        return sb.ToString();
    }

    /// <summary>A word for bash: as is when it is plain, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '+')
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
