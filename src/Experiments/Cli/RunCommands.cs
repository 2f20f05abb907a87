using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Harness.Core;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Core.Tracking;
using Harness.Experiments.Runner;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>`harness run|list|show|validate`: the declared experiments.</summary>
public static class RunCommands
{
    public static readonly Option<string> File = new("--file", "-f")
    {
        Description = "The experiments file.",
        DefaultValueFactory = _ => "experiments.yaml",
        Recursive = true,
    };

    private static readonly Option<string> Outputs = new("--outputs")
    {
        Description = "Folder for results and artifacts (outputs/ID/HASH/).",
        DefaultValueFactory = _ => "outputs",
    };

    public static Option<bool> GoldenOption => Golden;

    private static readonly Option<bool> Golden = new("--golden")
    {
        Description = "Use each experiment's reduced `golden` sizes (a quick end-to-end smoke run).",
    };

    public static IEnumerable<Command> Build()
    {
        yield return BuildRun();
        yield return BuildList();
        yield return BuildShow();
        yield return BuildValidate();
    }

    public static ExperimentsFile LoadFile(string path) =>
        new ExperimentsFileLoader(KindCatalog.All).Load(path);

    private static Command BuildRun()
    {
        var ids = new Argument<string[]>("ids") { Description = "Experiments to run (and what they need); all when empty.", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force") { Description = "Recompute even when a finished result with the same hash exists." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads, 1-256 (pinned and recorded; results depend on it).", DefaultValueFactory = _ => TorchRuntime.DefaultThreads };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted meta-training from its last finished epoch." };
        var unseal = new Option<string>("--unseal")
        {
            Description = "Run experiments that read a sealed split (the final claim), giving the reason; each unsealing is added to research/unsealed.md and tagged in MLflow.",
        };
        var noSystemMetrics = new Option<bool>("--no-system-metrics")
        {
            Description = "Log no system metrics (CPU, memory) on the runs; otherwise sampled every tracking.system_metrics_seconds (default 10).",
        };
        var command = new Command("run", "Run experiments from the experiments file, reusing cached results.")
        {
            ids, force, device, threads, Golden, Outputs, resume, unseal, noSystemMetrics,
        };
        foreach (var option in SlurmRun.Options) command.Options.Add(option);
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var reason = parse.GetValue(unseal);
            if (reason is not null && string.IsNullOrWhiteSpace(reason))
                throw new UserInputException("--unseal needs a reason: --unseal \"final table for the speedup claim\" (it goes into research/unsealed.md).");
            var file = LoadFile(parse.GetValue(File)!);
            // On Slurm, --cpus sets the threads too unless --threads is given (results and spec hashes depend on threads).
            int threadCount = parse.GetResult(threads) is { Implicit: false } || parse.GetValue(SlurmRun.Cpus) is not { } cpus
                ? parse.GetValue(threads) : cpus;
            var options = new RunOptions(parse.GetValue(Outputs)!, parse.GetValue(force), parse.GetValue(Golden),
                DeviceSelector.Parse(parse.GetValue(device)!), threadCount, parse.GetValue(resume), reason?.Trim(),
                SystemMetrics: !parse.GetValue(noSystemMetrics));
            if (parse.GetValue(SlurmRun.Executor) == "slurm")
                return SlurmRun.Submit(parse, file, options, parse.GetValue(ids) ?? [], new Harness.Experiments.Slurm.SlurmCommands());
            if (parse.GetResult(SlurmRun.Wait) is { Implicit: false } || SlurmRun.CommandLineResources(parse) is not null)
                throw new UserInputException("--wait, --cpus, --mem, --time and --partition go with --executor slurm.");
            using var cancellation = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancellation.Cancel(); };
            Console.CancelKeyPress += onCancel;
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cancellation.Cancel(); });
            var tracker = TrackerFactory.Create(file, message => Console.Error.WriteLine(message));
            try
            {
                var records = ConsoleProgress.Run(progress =>
                    new ExperimentRunner(file, options, tracker, progress, Console.Out)
                        .Run(parse.GetValue(ids) ?? [], cancellation.Token));
                Console.WriteLine(tracker is SpillingTracker { Spilled: true } spilled
                    ? $"{records.Count} experiment(s) done; runs written to {spilled.SpillDirectory} (the server did not answer: see the warning)"
                    : $"{records.Count} experiment(s) done; runs logged to {tracker.Location}");
                return ExitCodes.Success;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("interrupted: the run was stopped; finished experiments are kept and reused next time, " +
                                        "and a meta-training continues from its last finished epoch with ./harness run --resume.");
                return ExitCodes.Failed;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
                if (tracker is SpillingTracker { Spilled: true } spilling)
                    Console.Error.WriteLine($"warning: the MLflow server at {spilling.Location} stopped answering ({spilling.Cause}). " +
                                            $"{spilling.SpilledRuns} run(s) were written to {spilling.SpillDirectory} instead, nothing is lost. " +
                                            $"When the server is back, send them with: ./harness mlflow push {TrackerFactory.SpillFolder}");
            }
        }));
        return command;
    }

    private static Command BuildList()
    {
        var command = new Command("list", "List the declared experiments: id, kind, inputs, and whether a result is cached.")
        {
            Golden, Outputs,
        };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var file = LoadFile(parse.GetValue(File)!);
            var plan = new ExperimentRunner(file, new RunOptions(parse.GetValue(Outputs)!, Golden: parse.GetValue(Golden)),
                NullTracker.Instance, SilentProgress.Instance, TextWriter.Null).Plan([]);
            var table = new Table().AddColumns("id", "kind", "inputs", "seed", "hash", "cached");
            foreach (var spec in file.Experiments)
            {
                var p = plan.Single(x => x.Spec.Id == spec.Id);
                table.AddRow(spec.Id, spec.Kind, string.Join(", ", spec.Inputs),
                    spec.Seed.ToString(CultureInfo.InvariantCulture), p.Hash, p.Cached ? "yes" : "no");
            }
            CliApp.Console2.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildShow()
    {
        var id = new Argument<string>("id") { Description = "The experiment id." };
        var command = new Command("show", "Show an experiment's resolved spec and its last result.") { id, Golden, Outputs };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var file = LoadFile(parse.GetValue(File)!);
            var wanted = parse.GetValue(id)!;
            if (file.FindExperiment(wanted) is null && file.Resolve(wanted) is { } members)
                throw new UserInputException($"'{wanted}' is a matrix of {members.Count} experiments: show one of them " +
                                             $"({string.Join(", ", members)}).");
            var plan = new ExperimentRunner(file, new RunOptions(parse.GetValue(Outputs)!, Golden: parse.GetValue(Golden)),
                NullTracker.Instance, SilentProgress.Instance, TextWriter.Null).Plan([wanted]);
            var item = plan.Single(p => p.Spec.Id == wanted);
            Console.Write(ResolvedSpecWriter.ToYaml(item.Spec, parse.GetValue(Golden), item.Hash));
            if (item.Cached)
            {
                Console.WriteLine($"result ({Path.GetRelativePath(Environment.CurrentDirectory, item.ResultPath)}):");
                Console.WriteLine(System.IO.File.ReadAllText(item.ResultPath));
            }
            else
            {
                Console.WriteLine("result: none yet for this hash (run: ./harness run " + wanted + ")");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildValidate()
    {
        var path = new Argument<string?>("file") { Description = "The experiments file (default: experiments.yaml).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("validate", "Check an experiments file without running anything.") { path };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var target = parse.GetValue(path) ?? parse.GetValue(File)!;
            var file = LoadFile(target);
            TrackerFactory.Resolve(file, null); // every tracking mistake `run` would meet, without connecting
            Console.WriteLine($"{target}: valid ({file.Datasets.Count} dataset(s), {file.Experiments.Count} experiment(s): " +
                              $"{string.Join(", ", file.Experiments.Select(e => $"{e.Id} [{e.Kind}]"))})");
            return ExitCodes.Success;
        }));
        return command;
    }
}
