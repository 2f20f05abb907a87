using System.CommandLine;
using Harness.Core.Runtime;
using Harness.Core.Tracking;
using Harness.Experiments.Runner;
using Harness.Experiments.Slurm;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>`harness status [IDS…]`: each experiment's state — cached, queued, running, failed (with its log), not submitted.</summary>
public static class StatusCommand
{
    public static Command Build()
    {
        var ids = new Argument<string[]>("ids") { Description = "Experiments (and what they need); all when empty.", Arity = ArgumentArity.ZeroOrMore };
        var outputs = new Option<string>("--outputs") { Description = "The outputs folder the jobs write to.", DefaultValueFactory = _ => "outputs" };
        var golden = new Option<bool>("--golden") { Description = "The golden-size experiments (as submitted with --golden)." };
        var threads = new Option<int>("--threads") { Description = "The thread count the jobs run with (part of each spec hash).", DefaultValueFactory = _ => TorchRuntime.DefaultThreads };
        var command = new Command("status", "Show each experiment's state: cached, queued, running, failed (with its log path), not submitted.")
        {
            ids, outputs, golden, threads,
        };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var file = RunCommands.LoadFile(parse.GetValue(RunCommands.File)!);
            var options = new RunOptions(parse.GetValue(outputs)!, Golden: parse.GetValue(golden), Threads: parse.GetValue(threads));
            var plan = new ExperimentRunner(file, options, NullTracker.Instance, SilentProgress.Instance, TextWriter.Null).Plan(parse.GetValue(ids) ?? []);
            var rows = ExperimentStatus.Of(plan, options.OutputsDirectory, new SlurmCommands());
            var table = new Table().AddColumns("experiment", "hash", "state", "job", "slurm", "log");
            foreach (var r in rows)
                table.AddRow(r.Id, r.Hash, r.State, r.Job ?? "", r.SlurmState ?? "", r.Log is null ? "" : Path.GetRelativePath(Environment.CurrentDirectory, r.Log));
            CliApp.Console2.Write(table);
            Console.WriteLine(string.Join(", ", rows.GroupBy(r => r.State).Select(g => $"{g.Count()} {g.Key}")));
            return rows.Any(r => r.State == ExperimentStatus.Failed) ? ExitCodes.Failed : ExitCodes.Success;
        }));
        return command;
    }
}
