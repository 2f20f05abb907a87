using System.Diagnostics;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;

namespace Harness.Core.Evaluation;

/// <summary>
/// Memory along a long inner run, as `harness bench --horizon T` reports it: the process's resident MiB sampled at
/// evenly spaced steps while one optimizer trains a batch for T steps. Flat samples mean nothing grows with the
/// horizon but the per-step loss record (4 bytes per problem and step).
/// </summary>
public static class HorizonMemoryBenchmark
{
    public sealed record Sample(int Step, double ResidentMiB);

    public static IReadOnlyList<Sample> ResidentAlongHorizon(IFlatOptimizerFactory optimizer, TaskBatch batch, FunctionalMlp f,
        int steps, int samples, TrainingRegime? regime = null)
    {
        var recorder = new Recorder(Math.Max(1, steps / samples));
        InnerLoop.Run(optimizer, batch, f, steps, [steps], recorder, regime: regime);
        return recorder.Samples;
    }

    /// <summary>
    /// A progress sink that reads the resident set every k steps (the inner loop advances it once per step), after a
    /// full collection, so the figure is what is retained, not garbage the collector has not reached yet.
    /// </summary>
    private sealed class Recorder(int every) : IProgressTask
    {
        private int _step;
        public List<Sample> Samples { get; } = [];

        public void Advance(long steps = 1)
        {
            _step += (int)steps;
            if (_step % every != 0) return;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Samples.Add(new(_step, Process.GetCurrentProcess().WorkingSet64 / 1048576.0));
        }

        public void Describe(string status) { }
        public void Dispose() { }
    }
}
