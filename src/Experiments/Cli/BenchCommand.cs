using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Harness.Core;
using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Meta;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using Harness.Experiments.Kinds;
using Harness.Experiments.Runner;
using Spectre.Console;
using static TorchSharp.torch;

namespace Harness.Experiments.Cli;

/// <summary>
/// `harness bench`: speed and memory of the learned optimizer, measured (never asserted in unit tests).
/// Uses the g settings of a meta-train experiment in the experiments file (default: meta-train-harness).
/// Run it with the machine otherwise idle: a second busy process makes every figure meaningless.
/// </summary>
public static class BenchCommand
{
    public static Command Build()
    {
        var experiment = new Option<string>("--experiment") { Description = "The meta-train experiment whose g settings to measure.", DefaultValueFactory = _ => "meta-train-harness" };
        var tasks = new Option<int>("--tasks") { Description = "Tasks trained together in the step benchmark.", DefaultValueFactory = _ => 30 };
        var steps = new Option<int>("--steps") { Description = "Inner steps timed per optimizer and round.", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of paired timings (Adam, then g, alternating order); the median is reported.", DefaultValueFactory = _ => 7 };
        var threads = new Option<int[]>("--threads") { Description = "Thread counts to compare.", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
        var skipEpoch = new Option<bool>("--skip-epoch") { Description = "Skip timing a full meta-training epoch over 50 tasks at T = 100." };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "A meta-train result folder (outputs/ID/HASH): time its kept g (g-best, with its own guard) instead of an untrained g " +
                          "of the experiment's settings. A trained g's guard rejects more steps, and each rejection costs more.",
        };
        var horizon = new Option<int?>("--horizon")
        {
            Description = "Instead: train --tasks tasks with g (and its guard) for this many steps and print resident memory at 10 evenly spaced steps (flat in the horizon, or not).",
        };
        var bothNumerics = new Option<bool>("--both-numerics")
        {
            Description = "Time the steps under portable and under fast numerics (each in its own process, alternating twice) and print the price of portability.",
        };
        var summary = new Option<string?>("--summary-json") { Description = "Write the step timings as JSON to this file (used by --both-numerics).", Hidden = true };
        var command = new Command("bench", "Measure time per inner step (g vs Adam), meta-training epoch time and memory.")
        {
            experiment, tasks, steps, rounds, threads, skipEpoch, checkpoint, horizon, bothNumerics, summary,
        };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var file = RunCommands.LoadFile(parse.GetValue(RunCommands.File)!);
            var id = parse.GetValue(experiment)!;
            var spec = file.FindExperiment(id);
            if (spec?.Settings is not MetaTrainSettings settings)
                throw new UserInputException($"'{id}' is not a meta-train experiment of {file.Path}; pass --experiment ID.");
            int taskCount = parse.GetValue(tasks), stepCount = parse.GetValue(steps), roundCount = parse.GetValue(rounds);
            if (taskCount < 1 || taskCount > 50) throw new UserInputException($"--tasks must be between 1 and 50 (got {taskCount}).");
            if (stepCount < 1 || roundCount < 1) throw new UserInputException("--steps and --rounds must be at least 1.");
            var trained = parse.GetValue(checkpoint) is { } folder
                ? LearnedOptimizerCheckpoint.Load(folder, MetaTrainKind.BestCheckpoint, CPU)
                : null;
            if (parse.GetValue(horizon) is int t)
            {
                if (t < 10 || t > 1_000_000) throw new UserInputException($"--horizon must be between 10 and 1,000,000 steps (got {t}).");
                LongHorizon(settings, trained, taskCount, t, parse.GetValue(threads)!.Max());
                return ExitCodes.Success;
            }
            if (parse.GetValue(bothNumerics))
            {
                NumericsPrice.Measure(parse.GetValue(threads)!);
                return ExitCodes.Success;
            }
            var timings = Run(settings, trained, taskCount, stepCount, roundCount, parse.GetValue(threads)!, !parse.GetValue(skipEpoch));
            if (parse.GetValue(summary) is { } path) NumericsPrice.WriteSummary(path, timings);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Resident memory while g trains the tasks for T steps: what `curve_every` and a flat inner loop make possible.</summary>
    private static void LongHorizon(MetaTrainSettings settings, LearnedOptimizer? trained, int taskCount, int steps, int threads)
    {
        TorchRuntime.PinThreads(threads);
        var f = trained?.Architecture ?? settings.ResolvedF;
        var g = trained ?? LearnedOptimizer.Untrained(settings.Optimizer, f, 1, CPU);
        var tasks = StratifiedSplitter.Split(SpiralGenerator.Generate(SpiralParameters.Preset("dataset1"), 1, "dataset1"), new SplitSettings(taskCount, 500), 1);
        using var batch = TaskBatch.Create(tasks, tasks.Select((_, t) => (t, 0)).ToList(), f, 7, CPU);
        var clock = Stopwatch.StartNew();
        var samples = HorizonMemoryBenchmark.ResidentAlongHorizon(new LearnedOptimizerFactory("g", g), batch, new FunctionalMlp(f), steps, 10);
        Console.WriteLine($"g ({(trained is null ? "untrained" : "trained")}, guard {g.Settings.Guard.ToString().ToLowerInvariant()}) on {taskCount} tasks × 400 rows, " +
                          $"f {f}, T = {steps:N0}, {threads} threads: {clock.Elapsed.TotalSeconds:F0} s");
        var table = new Table().AddColumns("step", "resident MiB");
        foreach (var s in samples) table.AddRow(s.Step.ToString("N0", CultureInfo.InvariantCulture), s.ResidentMiB.ToString("F0", CultureInfo.InvariantCulture));
        CliApp.Console2.Write(table);
        double first = samples[0].ResidentMiB, last = samples[^1].ResidentMiB;
        Console.WriteLine($"growth from step {samples[0].Step:N0} to {samples[^1].Step:N0}: {Harness.Core.Reporting.SignedNumber.Format(last - first, 0)} MiB " +
                          $"(the per-step loss record accounts for {4.0 * taskCount * steps / 1048576:F1} MiB of any growth)");
    }

    /// <summary>Median milliseconds per step at one thread count (g with its guard null where g has none).</summary>
    public sealed record StepTimes(int Threads, double AdamMs, double GMs, double? GuardedGMs);

    private static IReadOnlyList<StepTimes> Run(MetaTrainSettings settings, LearnedOptimizer? trained, int taskCount, int steps, int rounds, int[] threadCounts, bool timeEpoch)
    {
        if (trained is not null) settings = settings with { Optimizer = trained.Network.Settings, F = trained.Architecture };
        var data = SpiralGenerator.Generate(SpiralParameters.Preset("dataset1"), 1, "dataset1");
        var tasks = StratifiedSplitter.Split(data, new SplitSettings(50, 2000), 1);
        var f = new FunctionalMlp(settings.ResolvedF);
        // g's own step, and (when the settings guard it) g with its guard, which adds a forward pass of f per step.
        bool guarded = settings.Optimizer.Guard != StepGuard.None;
        var g = WithGuard(settings.Optimizer with { Guard = StepGuard.None });
        var gGuarded = guarded ? WithGuard(settings.Optimizer) : null;
        LearnedOptimizer WithGuard(LearnedOptimizerSettings optimizer)
        {
            var fresh = LearnedOptimizer.Untrained(optimizer, settings.ResolvedF, 1, CPU);
            if (trained is not null) fresh.Network.CopyWeightsFrom(trained.Network);
            return fresh;
        }
        var problems = Enumerable.Range(0, taskCount).Select(t => (t, 0)).ToList();
        var adam = new AdamFactory([0.01]);

        Console.WriteLine($"g: {(trained is null ? "untrained" : "trained (g-best)")}, {settings.Optimizer.Layers} GRU layer(s), hidden {settings.Optimizer.Hidden}, " +
                          $"{settings.Optimizer.InputSize} inputs, {g.Network.ParameterCount} weights; f: [{string.Join(", ", settings.ResolvedF.Layers)}], " +
                          $"{settings.ResolvedF.ParameterCount} parameters; {taskCount} tasks × 1,600 rows per step");
        Console.WriteLine($"native allocator tuned: {(NativeAllocator.Tuned ? "yes" : "no (not glibc)")}; OpenMP wait policy: {OpenMpWaitPolicy.Current}; " +
                          $"g's GRU: {(GruOptimizerNetwork.HasVectorisedCpuKernel ? $"vectorised C# kernel ({GruOptimizerNetwork.VectorisedCpuKernelWidth}-bit)" : "libtorch ops (no AVX2 with FMA)")}; {rounds} rounds of {steps} steps per optimizer, medians");
        Console.WriteLine($"numerics: {Numerics.Mode.Name()} ({string.Join(", ", Numerics.NativeSettings.Select(n => $"{n.Variable}={n.Value}"))})");
        var times = new List<StepTimes>();
        var table = new Table().AddColumns("threads", "Adam ms/step", "g ms/step", "g / Adam (median)", "g / Adam (range)");
        if (guarded) table.AddColumns("g + guard ms/step", "g + guard / Adam (median)", "g + guard / Adam (range)");
        // Warm up every setting first: the first large batch pays for growing the heap, which is not a per-step cost.
        foreach (var threads in threadCounts)
        {
            TorchRuntime.PinThreads(threads);
            using var warm = TaskBatch.Create(tasks, problems, settings.ResolvedF, 7, CPU);
            StepBenchmark.WarmUp(warm, f, [adam, new LearnedOptimizerFactory("g", g), .. gGuarded is null ? [] : new[] { new LearnedOptimizerFactory("g", gGuarded) }]);
        }
        foreach (var threads in threadCounts)
        {
            TorchRuntime.PinThreads(threads);
            using var batch = TaskBatch.Create(tasks, problems, settings.ResolvedF, 7, CPU);
            var timing = StepBenchmark.Against(adam, new LearnedOptimizerFactory("g", g), batch, f, steps, rounds);
            var cells = new List<string> { threads.ToString(CultureInfo.InvariantCulture), $"{timing.MedianFirst:F1}", $"{timing.MedianSecond:F1}",
                $"{timing.MedianRatio:F2}", $"{timing.MinRatio:F2}-{timing.MaxRatio:F2}" };
            double? guardedMs = null;
            if (gGuarded is not null)
            {
                var withGuard = StepBenchmark.Against(adam, new LearnedOptimizerFactory("g", gGuarded), batch, f, steps, rounds);
                cells.AddRange([$"{withGuard.MedianSecond:F1}", $"{withGuard.MedianRatio:F2}", $"{withGuard.MinRatio:F2}-{withGuard.MaxRatio:F2}"]);
                guardedMs = withGuard.MedianSecond;
            }
            table.AddRow(cells.ToArray());
            times.Add(new StepTimes(threads, timing.MedianFirst, timing.MedianSecond, guardedMs));
        }
        CliApp.Console2.Write(table);

        int best = threadCounts.Max();
        TorchRuntime.PinThreads(best);
        var small = settings with { Horizon = Math.Min(20, settings.Horizon), Truncation = Math.Min(20, settings.Truncation), ValidationTasks = 2, ValidationHorizonFactor = 1 };
        var memory = MetaTrainingBenchmark.ResidentMiBAfterEpochs(small, tasks.Take(12).ToList(), 4);
        Console.WriteLine($"resident memory after each of 4 short meta-training epochs (10 tasks, T = {small.Horizon}): " +
                          string.Join(", ", memory.Select(m => $"{m:F0} MiB")));

        if (timeEpoch)
        {
            double seconds = MetaTrainingBenchmark.EpochSeconds(settings, tasks);
            Console.WriteLine($"one meta-training epoch over 50 tasks at T = {settings.Horizon} (K = {settings.Truncation}, " +
                              $"{settings.TasksPerStep} tasks per meta-step, {best} threads): {seconds:F1} s");
        }
        Console.WriteLine($"peak resident memory: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        return times;
    }
}
