using System.Diagnostics;
using Harness.Core.Data;
using Harness.Core.Runtime;
using TorchSharp;

namespace Harness.Core.Meta;

/// <summary>
/// What meta-training costs, as `harness bench` reports it: the process's resident memory after each of several short
/// meta-trainings (flat if nothing leaks across epochs) and the seconds of one full epoch.
/// </summary>
public static class MetaTrainingBenchmark
{
    /// <summary>Resident MiB after each of <paramref name="epochs"/> one-epoch meta-trainings (seeds 1, 2, …), after a full GC.</summary>
    public static IReadOnlyList<double> ResidentMiBAfterEpochs(MetaTrainSettings settings, IReadOnlyList<SplitTask> tasks, int epochs)
    {
        var memory = new List<double>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            new MetaTrainer(settings with { Epochs = 1 }, (ulong)epoch, torch.CPU).Train(tasks, SilentProgress.Instance);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            memory.Add(Process.GetCurrentProcess().WorkingSet64 / 1048576.0);
        }
        return memory;
    }

    /// <summary>Seconds of one meta-training epoch over every task (no validation).</summary>
    public static double EpochSeconds(MetaTrainSettings settings, IReadOnlyList<SplitTask> tasks)
    {
        var clock = Stopwatch.StartNew();
        new MetaTrainer(settings with { Epochs = 1, ValidationTasks = 0 }, 2, torch.CPU).Train(tasks, SilentProgress.Instance);
        return clock.Elapsed.TotalSeconds;
    }
}
