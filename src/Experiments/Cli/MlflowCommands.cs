using System.CommandLine;
using Harness.Core.Tracking;

namespace Harness.Experiments.Cli;

/// <summary>`harness mlflow push [FOLDER] [--to URI]`: re-send runs spilled during an MLflow outage.</summary>
public static class MlflowCommands
{
    public static Command Build()
    {
        var mlflow = new Command("mlflow", "MLflow tracking helpers.");
        var folder = new Argument<string>("folder")
        {
            Description = "An MLflow file store to send (default: the spill folder of runs made while the server was down).",
            DefaultValueFactory = _ => TrackerFactory.SpillFolder,
        };
        var to = new Option<string?>("--to") { Description = "The tracking URI to send to (default: MLFLOW_TRACKING_URI, then tracking.uri)." };
        var push = new Command("push", "Send the runs of a local MLflow file store to a tracking server; sent runs are marked, so it can be repeated.")
        {
            folder, to,
        };
        push.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var file = RunCommands.LoadFile(parse.GetValue(RunCommands.File)!);
            var target = TrackerFactory.CreateDirect(file, parse.GetValue(to));
            var source = parse.GetValue(folder)!;
            try
            {
                var outcome = MlflowFileStoreReplay.Push(source, target);
                Console.WriteLine($"sent {outcome.Sent} run(s) from {source} to {target.Location}" +
                                  (outcome.AlreadySent > 0 ? $" ({outcome.AlreadySent} had been sent before)" : ""));
                return ExitCodes.Success;
            }
            catch (TrackingException e)
            {
                Console.Error.WriteLine($"failed: {e.Message}");
                Console.Error.WriteLine($"Runs sent so far are marked in {source}; repeat the same command to send the rest.");
                return ExitCodes.Failed;
            }
        }));
        mlflow.Subcommands.Add(push);
        return mlflow;
    }
}
