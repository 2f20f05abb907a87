using Harness.Core.Runtime;

namespace Harness.Experiments.Runner;

/// <summary>
/// How a `harness run` invocation runs: where outputs go, reuse of cached results, size, device, threads, resuming; the
/// reason for unsealing a sealed split (null: sealed splits stay sealed) and the ledger each unsealing is added to;
/// whether runs carry system metrics (CPU, memory; sampled every tracking.system_metrics_seconds).
/// </summary>
public sealed record RunOptions(
    string OutputsDirectory = "outputs",
    bool Force = false,
    bool Golden = false,
    DeviceChoice Device = DeviceChoice.Cpu,
    int Threads = TorchRuntime.DefaultThreads,
    bool Resume = false,
    string? Unseal = null,
    string? Ledger = null,
    bool SystemMetrics = true);
