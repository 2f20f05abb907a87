using Harness.Core.Runtime;

namespace Harness.Experiments.Runner;

/// <summary>How a `harness run` invocation runs: where outputs go, reuse of cached results, size, device, threads, resuming.</summary>
public sealed record RunOptions(
    string OutputsDirectory = "outputs",
    bool Force = false,
    bool Golden = false,
    DeviceChoice Device = DeviceChoice.Cpu,
    int Threads = TorchRuntime.DefaultThreads,
    bool Resume = false);
