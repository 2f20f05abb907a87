using Harness.Core.Runtime;
using Harness.Core.Specs;

namespace Harness.Experiments.Slurm;

/// <summary>
/// The resources a kind's job asks for: built-in per kind, then the file's `slurm.defaults`, the file's `slurm.KIND`,
/// then the command line (--cpus, --mem, --time, --partition), each level replacing the keys it gives.
/// </summary>
public static class SlurmKindResources
{
    /// <summary>What each kind needs at the sizes experiments.yaml declares (a split is small; the rest train networks).</summary>
    private static readonly IReadOnlyDictionary<string, SlurmResources> BuiltIn = new Dictionary<string, SlurmResources>(StringComparer.Ordinal)
    {
        ["split"] = new(TorchRuntime.DefaultThreads, "2G", "00:30:00"),
        ["meta-train"] = new(TorchRuntime.DefaultThreads, "8G", "04:00:00"),
        ["compare"] = new(TorchRuntime.DefaultThreads, "8G", "04:00:00"),
        ["meta-test"] = new(TorchRuntime.DefaultThreads, "4G", "02:00:00"),
        ["benchmark"] = new(TorchRuntime.DefaultThreads, "8G", "12:00:00"),
    };

    private static readonly SlurmResources Fallback = new(TorchRuntime.DefaultThreads, "4G", "04:00:00");

    public static SlurmResources For(string kind, SlurmSpec file, SlurmResources? commandLine) =>
        BuiltIn.GetValueOrDefault(kind, Fallback)
            .With(file.Defaults)
            .With(file.Kinds.GetValueOrDefault(kind))
            .With(commandLine);
}
