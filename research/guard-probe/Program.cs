// The measurement behind the harness preset's guard_tolerance (README, "Ablation"). Trains f for 1,000 steps on the
// last 10 tasks of a stored split (split-train's meta-validation tasks: never the test tasks) with Adam at two rates and
// with stored g checkpoints under several guard settings, and prints each one's losses at T = 100, 250, 500, 1000.
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
    return InnerLoop.Run(optimizer, batch, f, Steps, Array.Empty<int>());
}

void Report(string name, TrainingTrace trace, TrainingTrace? adam)
{
    var cells = horizons.Select(h =>
    {
        var losses = Enumerable.Range(0, trace.Problems).Select(p => (double)trace.TrainLoss[p][h]).ToList();
        string cell = $"T{h}: mean {losses.Average():G3} max {losses.Max():G3}";
        if (adam is not null)
        {
            int wins = Enumerable.Range(0, trace.Problems).Count(p => trace.TrainLoss[p][h] < adam.TrainLoss[p][h]);
            cell += $" win {wins * 100 / trace.Problems}%";
        }
        if (trace.FellBack is not null)
            cell += $" fallback {Enumerable.Range(0, trace.Problems).Average(p => trace.FallbackShare(p, h)!.Value) * 100:F1}%";
        return cell;
    });
    Console.WriteLine($"{name,-28} {string.Join(" | ", cells)}");
}

var adam = Train(new AdamFactory([0.01]));
Report("adam 0.01", adam, null);
Report("adam 0.0316", Train(new AdamFactory([0.0316])), null);
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
            Train(new LearnedOptimizerFactory("g", new LearnedOptimizer(network, stored.Architecture))), adam);
    }
}
