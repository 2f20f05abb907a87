// The measurement behind the harness preset's guard_tolerance (README, "Ablation"). Trains f for 1,000 steps on the
// last 10 tasks of a stored split (split-train's meta-validation tasks: never the test tasks) with Adam at two rates (the
// two that compare's tuning picks at every T) and with stored g checkpoints under several guard settings. It prints
// each one's losses at T = 100, 250, 500, 1000, and for g, per Adam rate: the tasks where g's training loss is lower
// (win), and the tasks where g's test accuracy is lower / higher than Adam's (acc -/+), with the test errors of both.
//
//   dotnet run -c Release --project research/guard-probe -- outputs/split-train/HASH/tasks.bin \
//       outputs/meta-train-harness/HASH:g-best:none,0,1  outputs/meta-train-harness/HASH:untrained:none,0
//
// Each g argument is FOLDER:CHECKPOINT:SETTINGS, SETTINGS a comma list of `none` (no guard) or a guard tolerance;
// CHECKPOINT `untrained` is the checkpoint's architecture with fresh weights (a residual g then is Adam at its η).
using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using static TorchSharp.torch;

NativeAllocator.Tune();
OpenMpWaitPolicy.MakePassive();
TorchRuntime.PinThreads(2);
const int Steps = 1000;
const ulong InitSeed = 777;
int[] horizons = [100, 250, 500, 1000];
var tasks = SplitTaskStore.Load(args[0]).TakeLast(10).ToList();
var f = new FunctionalMlp(MlpArchitecture.Study);
var problems = tasks.Select((_, i) => (i, 0)).ToList();

TrainingTrace Train(IFlatOptimizerFactory optimizer)
{
    using var batch = TaskBatch.Create(tasks, problems, MlpArchitecture.Study, InitSeed, CPU);
    return InnerLoop.Run(optimizer, batch, f, Steps, horizons);
}

// Misclassified test points of each task at step h.
int[] TestErrors(TrainingTrace trace, int h) => Enumerable.Range(0, trace.Problems)
    .Select(p => (int)Math.Round((1 - ClassificationMetrics.Accuracy(trace.TestLogits[h][p], tasks[p].TestLabels)) * tasks[p].TestCount))
    .ToArray();

void Report(string name, TrainingTrace trace, IReadOnlyList<(string Name, TrainingTrace Trace)> adams)
{
    Console.WriteLine(name);
    foreach (var h in horizons)
    {
        var losses = Enumerable.Range(0, trace.Problems).Select(p => (double)trace.TrainLoss[p][h]).ToList();
        var errors = TestErrors(trace, h);
        string line = $"  T{h,-5} loss mean {losses.Average():G3} max {losses.Max():G3}, test errors {errors.Sum()}";
        foreach (var (adamName, adam) in adams)
        {
            int wins = Enumerable.Range(0, trace.Problems).Count(p => trace.TrainLoss[p][h] < adam.TrainLoss[p][h]);
            var adamErrors = TestErrors(adam, h);
            int lessAccurate = errors.Zip(adamErrors).Count(e => e.First > e.Second);
            int moreAccurate = errors.Zip(adamErrors).Count(e => e.First < e.Second);
            line += $" | vs {adamName}: win {wins}/{trace.Problems}, acc -{lessAccurate}/+{moreAccurate} (errors {adamErrors.Sum()})";
        }
        if (trace.FellBack is not null)
            line += $" | fallback {Enumerable.Range(0, trace.Problems).Average(p => trace.FallbackShare(p, h)!.Value) * 100:F1}%";
        Console.WriteLine(line);
    }
}

List<(string Name, TrainingTrace Trace)> adams = [("adam 0.01", Train(new AdamFactory([0.01]))), ("adam 0.0316", Train(new AdamFactory([0.0316])))];
foreach (var (adamName, adam) in adams) Report(adamName, adam, []);
foreach (var arg in args.Skip(1))
{
    var (folder, checkpoint, settingsList) = arg.Split(':') is [var a, var b, var c] ? (a, b, c)
        : throw new ArgumentException($"'{arg}': expected FOLDER:CHECKPOINT:SETTINGS");
    bool untrained = checkpoint == "untrained";
    var stored = LearnedOptimizerCheckpoint.Load(folder, untrained ? "g-best" : checkpoint, CPU);
    foreach (var setting in settingsList.Split(','))
    {
        var settings = setting == "none"
            ? stored.Settings with { Guard = StepGuard.None }
            : stored.Settings with { Guard = StepGuard.AdamFallback, GuardTolerance = double.Parse(setting, System.Globalization.CultureInfo.InvariantCulture) };
        var network = new GruOptimizerNetwork(settings, 0);
        if (!untrained) network.CopyWeightsFrom(stored.Network);
        Report($"{Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))[..6]} {checkpoint} {setting}",
            Train(new LearnedOptimizerFactory("g", new LearnedOptimizer(network, stored.Architecture))), adams);
    }
}
