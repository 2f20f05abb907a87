using System.CommandLine;
using System.Globalization;
using Harness.Core;
using Harness.Core.Specs;
using Harness.Core.Tracking;
using Harness.Experiments.Golden;
using Harness.Experiments.Kinds;
using Harness.Experiments.Runner;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>
/// `harness regress --baseline PATH`: reruns a comparison for the current g (cached when nothing changed; by default
/// compare-harness, on the validation tasks at matched f evaluations) and says whether g is significantly worse than
/// in a stored baseline comparison on the same tasks and inits, on training loss or test loss. Exit 1 if so.
/// </summary>
public static class RegressCommand
{
    public static Command Build()
    {
        var baseline = new Option<string>("--baseline")
        {
            Description = "A stored comparison: its folder (outputs/compare-harness/HASH, or a copy) or its per-task.csv.",
            Required = true,
        };
        var experiment = new Option<string>("--experiment") { Description = "The compare experiment to rerun.", DefaultValueFactory = _ => "compare-harness" };
        var golden = new Option<bool>("--golden") { Description = "Use golden sizes (quick check)." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads, 1-256.", DefaultValueFactory = _ => Harness.Core.Runtime.TorchRuntime.DefaultThreads };
        var alpha = new Option<double>("--alpha") { Description = "Significance level (Holm-corrected across horizons).", DefaultValueFactory = _ => 0.05 };
        var command = new Command("regress", "Is the current g significantly worse than a stored baseline comparison?")
        {
            baseline, experiment, golden, threads, alpha,
        };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            if (parse.GetValue(alpha) is var level && !(level > 0 && level < 1))
                throw new UserInputException($"--alpha is the significance level, between 0 and 1 exclusive (got {level.ToString(CultureInfo.InvariantCulture)}); e.g. --alpha 0.05.");
            var file = RunCommands.LoadFile(parse.GetValue(RunCommands.File)!);
            var id = parse.GetValue(experiment)!;
            if (file.FindExperiment(id) is not { Kind: CompareKind.KindName })
                throw new UserInputException($"'{id}' is not a compare experiment of {file.Path}; pass --experiment ID.");
            var baselinePath = parse.GetValue(baseline)!;
            if (Directory.Exists(baselinePath)) baselinePath = Path.Combine(baselinePath, "per-task.csv");
            if (!System.IO.File.Exists(baselinePath))
                throw new UserInputException($"--baseline {parse.GetValue(baseline)}: no per-task.csv there; pass a compare result folder " +
                                             "(outputs/ID/HASH) or its per-task.csv.");
            // A damaged baseline is reported before the comparison runs (minutes), not after.
            foreach (var (column, _) in RegressionCheck.Metrics)
                RegressionCheck.Read(baselinePath, CompareKind.LearnedName, column, RegressionCheck.HeadlineBudget(baselinePath));
            var options = new RunOptions(Golden: parse.GetValue(golden), Threads: parse.GetValue(threads));
            var runner = new ExperimentRunner(file, options, TrackerFactory.Create(file), Harness.Core.Runtime.SilentProgress.Instance, TextWriter.Null);
            runner.Run([id]);
            var current = Path.Combine(runner.Plan([id]).Single(p => p.Spec.Id == id).Directory, "per-task.csv");
            var rows = RegressionCheck.Compare(baselinePath, current, CompareKind.LearnedName, parse.GetValue(alpha));
            var table = new Table().AddColumns("metric", "T", "pairs", "baseline mean", "current mean", "median ratio", "Wilcoxon p", "Holm p", "verdict");
            Console.WriteLine($"g in {id}, {rows[0].Budget}-matched reading, against {baselinePath}:");
            foreach (var r in rows)
                table.AddRow(r.Metric, r.Horizon.ToString(CultureInfo.InvariantCulture),
                    r.Pairs.ToString(CultureInfo.InvariantCulture) + (r.NonFinite > 0 ? $" (+{r.NonFinite} diverged)" : ""),
                    r.BaselineMean.ToString("F5", CultureInfo.InvariantCulture), r.CurrentMean.ToString("F5", CultureInfo.InvariantCulture),
                    r.MedianRatio.ToString("F3", CultureInfo.InvariantCulture), r.WilcoxonP.ToString("G3", CultureInfo.InvariantCulture),
                    r.HolmP.ToString("G3", CultureInfo.InvariantCulture), r.Worse ? "WORSE" : "ok");
            CliApp.Console2.Write(table);
            bool worse = rows.Any(r => r.Worse);
            Console.WriteLine(worse ? "g is significantly worse than the baseline." : "g is not significantly worse than the baseline.");
            return worse ? ExitCodes.Failed : ExitCodes.Success;
        }));
        return command;
    }
}
