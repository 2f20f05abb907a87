using System.Text.RegularExpressions;
using Harness.Core.Configuration;

namespace Harness.Core.Specs;

/// <summary>
/// What one Slurm job asks for (sbatch's --cpus-per-task, --mem, --time, --partition); null keys are left to the level
/// below (command line over the file's kind, over the file's defaults, over the kind's built-in resources).
/// </summary>
public sealed partial record SlurmResources(int? Cpus = null, string? Memory = null, string? Time = null, string? Partition = null)
    : IValidatableSettings
{
    public const int MaxCpus = 1024;

    [GeneratedRegex(@"^[1-9][0-9]*[KMGT]?$")]
    private static partial Regex MemoryForm();

    [GeneratedRegex(@"^([0-9]+|[0-9]+:[0-5][0-9]|[0-9]+:[0-5][0-9]:[0-5][0-9]|[0-9]+-[0-9]+(:[0-5][0-9](:[0-5][0-9])?)?)$")]
    private static partial Regex TimeForm();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+$")]
    private static partial Regex PartitionForm();

    /// <summary>This, with every key <paramref name="over"/> gives replacing it.</summary>
    public SlurmResources With(SlurmResources? over) =>
        over is null ? this : new(over.Cpus ?? Cpus, over.Memory ?? Memory, over.Time ?? Time, over.Partition ?? Partition);

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Cpus is { } cpus && (cpus < 1 || cpus > MaxCpus)) yield return ("cpus", $"must lie in 1..{MaxCpus} (got {cpus})");
        if (Memory is { } memory && !MemoryForm().IsMatch(memory))
            yield return ("memory", $"'{memory}' is not a Slurm memory size: a whole number with an optional unit K, M, G or T (e.g. 8G)");
        if (Time is { } time && !TimeForm().IsMatch(time))
            yield return ("time", $"'{time}' is not a Slurm time limit: minutes, MM:SS, HH:MM:SS or D-HH[:MM[:SS]] (e.g. \"04:00:00\")");
        if (Partition is { } partition && !PartitionForm().IsMatch(partition))
            yield return ("partition", $"'{partition}' is not a partition name (letters, digits, '_', '.', '-')");
    }
}

/// <summary>
/// The file's `slurm:` block: resources for every job (`defaults`) and per experiment kind (a key per kind), for
/// `harness run --executor slurm`.
/// </summary>
public sealed record SlurmSpec(SlurmResources Defaults, IReadOnlyDictionary<string, SlurmResources> Kinds)
{
    public static readonly SlurmSpec Empty = new(new SlurmResources(), new Dictionary<string, SlurmResources>());
}
