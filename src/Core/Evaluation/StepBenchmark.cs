using System.Diagnostics;
using Harness.Core.Models;
using Harness.Core.Optimizers;

namespace Harness.Core.Evaluation;

/// <summary>
/// The speed of f's inner step under an optimizer, in milliseconds per step over a batch of tasks: measured by
/// `harness bench`, never asserted in tests. A candidate is timed against a baseline in paired rounds
/// (<see cref="PairedTiming"/>), so a slow phase of a shared machine hits both sides of the ratio alike.
/// </summary>
public static class StepBenchmark
{
    /// <summary>Runs each optimizer a few steps: the first large batch pays for growing the heap, not a per-step cost.</summary>
    public static void WarmUp(TaskBatch batch, FunctionalMlp f, params IFlatOptimizerFactory[] optimizers)
    {
        foreach (var optimizer in optimizers) InnerLoop.Run(optimizer, batch, f, 5, Array.Empty<int>());
    }

    /// <summary>Milliseconds per step of <paramref name="steps"/> steps, after three untimed ones.</summary>
    public static double MillisecondsPerStep(IFlatOptimizerFactory optimizer, TaskBatch batch, FunctionalMlp f, int steps)
    {
        InnerLoop.Run(optimizer, batch, f, 3, Array.Empty<int>());
        var clock = Stopwatch.StartNew();
        InnerLoop.Run(optimizer, batch, f, steps, Array.Empty<int>());
        return clock.Elapsed.TotalMilliseconds / steps;
    }

    /// <summary>The candidate against the baseline, in paired rounds of <paramref name="steps"/> steps each.</summary>
    public static PairedTiming Against(IFlatOptimizerFactory baseline, IFlatOptimizerFactory candidate, TaskBatch batch,
        FunctionalMlp f, int steps, int rounds) =>
        PairedTiming.Measure(rounds, () => MillisecondsPerStep(baseline, batch, f, steps), () => MillisecondsPerStep(candidate, batch, f, steps));
}
