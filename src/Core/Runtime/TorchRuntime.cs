using TorchSharp;

namespace Harness.Core.Runtime;

/// <summary>
/// Pins libtorch's thread count (results depend on it) and reports library versions for provenance.
/// TorchSharp has no use_deterministic_algorithms: determinism comes from seeds, pinned threads and is proven by tests.
/// </summary>
public static class TorchRuntime
{
    /// <summary>
    /// The default thread count: 2 was 1.8× faster than 1 for meta-training on this 2-core machine when it runs alone
    /// (see ./harness bench). Two busy processes with 2 threads each oversubscribe the cores: use --threads 1 then.
    /// </summary>
    public const int DefaultThreads = 2;

    /// <summary>The most threads accepted: past the core count libtorch only slows down (1,024 made a 0.3 s run take 24 s).</summary>
    public const int MaxThreads = 256;

    public static void PinThreads(int threads)
    {
        if (threads < 1) throw new UserInputException($"--threads must be ≥ 1 (got {threads})");
        if (threads > MaxThreads)
            throw new UserInputException($"--threads must be at most {MaxThreads} (got {threads}); more threads than cores only slows libtorch down " +
                                         $"(this machine has {Environment.ProcessorCount}).");
        torch.set_num_threads(threads);
    }

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The libtorch that TorchSharp 0.107.0 packages ship (TorchSharp exposes no version call for it).</summary>
    public const string LibTorchVersion = "2.10.0";
}
