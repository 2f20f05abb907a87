using System.CommandLine;
using Harness.Core;
using Harness.Core.Runtime;
using Harness.Experiments.Golden;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Cli;

/// <summary>`harness golden check|accept [ID…]`: compare with or rewrite the golden snapshots after an intended change.</summary>
public static class GoldenCommands
{
    public static Command Build()
    {
        var golden = new Command("golden", "Golden snapshots: what `dotnet test` checks every experiment against.");
        golden.Subcommands.Add(Build("check", "Run experiments at golden size and show what differs from the snapshots (exit 1 if any).", accept: false));
        golden.Subcommands.Add(Build("accept", "Run experiments at golden size and rewrite their snapshots, printing what changed.", accept: true));
        return golden;
    }

    private static Command Build(string name, string description, bool accept)
    {
        var ids = new Argument<string[]>("ids") { Description = "Experiments (all when empty).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(name, description) { ids };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var root = Directory.GetCurrentDirectory();
            if (!Directory.Exists(Path.Combine(root, "tests", "Golden")))
                throw new UserInputException($"{root} has no tests/Golden folder: run `./harness golden {name}` from the repository root.");
            if (accept && Numerics.Mode != NumericsMode.Portable)
                throw new UserInputException("golden accept writes the exact layer (SHA-256 of results and checkpoints), which only portable " +
                                             "numerics reproduce: run it without --numerics fast.");
            var file = RunCommands.LoadFile(parse.GetValue(RunCommands.File)!);
            var wanted = parse.GetValue(ids) ?? [];
            var outputs = Path.Combine(Path.GetTempPath(), $"harness-golden-{Guid.NewGuid():N}");
            try
            {
                var results = ConsoleProgress.Run(progress => GoldenSnapshots.Run(file, outputs, wanted, progress));
                int changed = 0;
                foreach (var (record, directory) in results.Where(r => wanted.Length == 0 || wanted.Contains(r.Record.Id)))
                {
                    var path = GoldenSnapshots.SnapshotPath(root, record.Device, record.Id);
                    var stored = GoldenSnapshots.Read(path);
                    var fresh = GoldenRecord.Comparable(record, directory, stored);
                    var differences = GoldenSnapshots.Diff(stored, fresh);
                    if (differences.Count == 0)
                    {
                        Console.WriteLine($"{record.Id}: unchanged");
                        continue;
                    }
                    changed++;
                    Console.WriteLine($"{record.Id}: {differences.Count} change(s)");
                    foreach (var line in differences) Console.WriteLine($"  {line}");
                    if (accept) GoldenSnapshots.Write(path, fresh);
                }
                if (Numerics.Mode != NumericsMode.Portable)
                    Console.WriteLine("fast numerics: rounded numbers checked within the golden tolerance; the exact layer (SHA-256) was not checked.");
                Console.WriteLine(accept
                    ? $"{changed} snapshot(s) rewritten under tests/Golden/cpu/__snapshots__; review them with git diff and commit."
                    : $"{changed} experiment(s) differ from their snapshots.");
                return !accept && changed > 0 ? ExitCodes.Failed : ExitCodes.Success;
            }
            finally
            {
                if (Directory.Exists(outputs)) Directory.Delete(outputs, true);
            }
        }));
        return command;
    }
}
