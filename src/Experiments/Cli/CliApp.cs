using System.CommandLine;
using Harness.Core;
using Harness.Core.Runtime;
using Harness.Core.Tracking;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>The `harness` command line: builds the verbs and maps failures to exit codes without stack traces.</summary>
public static class CliApp
{
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Show stack traces for failures (for bug reports).",
        Recursive = true,
    };

    public static readonly Option<string> NumericsOption = Accepting(new Option<string>("--numerics")
    {
        Description = "portable (default): pin libtorch's, MKL's and oneDNN's instruction sets to AVX2, so results are the same " +
                      "bytes on any x86-64 machine with AVX2; fast: use the widest instructions here (results hold on this machine only).",
        DefaultValueFactory = _ => NumericsMode.Portable.Name(),
        Recursive = true,
    });

    private static Option<string> Accepting(Option<string> option)
    {
        option.AcceptOnlyFromAmong(NumericsModes.Names);
        return option;
    }

    public static int Run(string[] args)
    {
        var root = new RootCommand("Harness: meta-train, test and regression-check learned optimizers.");
        root.Options.Add(Verbose);
        root.Options.Add(NumericsOption);
        root.Options.Add(RunCommands.File);
        foreach (var command in RunCommands.Build()) root.Subcommands.Add(command);
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(DataCommands.Build());
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(GoldenCommands.Build());
        root.Subcommands.Add(RegressCommand.Build());
        root.Subcommands.Add(ShapesCommand.Build());
        root.Subcommands.Add(MlflowCommands.Build());
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"harness: {error.Message}");
            Console.Error.WriteLine("Run 'harness --help' for the verbs and their options.");
            return ExitCodes.UserError;
        }
        // Before any verb touches libtorch: its libraries read the pinned variables once, when they load.
        int pinned = Guard(parse, () =>
        {
            Numerics.Apply(NumericsModes.TryParse(parse.GetValue(NumericsOption))!.Value);
            return ExitCodes.Success;
        });
        if (pinned != ExitCodes.Success) return pinned;
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>
    /// Runs a verb's body: user mistakes exit 2 with the message only, other failures exit 1 with their first line (and,
    /// with --verbose, the whole trace). Every message is printed with URL credentials masked.
    /// </summary>
    public static int Guard(ParseResult parse, Func<int> body)
    {
        bool verbose = parse.GetValue(Verbose);
        try
        {
            return body();
        }
        catch (UserInputException e)
        {
            Console.Error.WriteLine(UrlRedaction.Redact($"error: {e.Message}"));
            if (verbose) Console.Error.WriteLine(UrlRedaction.Redact(e.ToString()));
            return ExitCodes.UserError;
        }
        catch (Exception e)
        {
            // Native (libtorch) messages carry a C++ backtrace after the first line: keep the first line.
            var firstLine = e.Message.Split('\n', 2)[0].Trim();
            Console.Error.WriteLine(UrlRedaction.Redact($"failed: {e.GetType().Name}: {firstLine}"));
            Console.Error.WriteLine(verbose ? UrlRedaction.Redact(e.ToString()) : "Rerun with --verbose for the stack trace.");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Console for tables and progress; plain (no colours, no live widgets) when output is redirected.</summary>
    public static IAnsiConsole Console2 { get; } = CreateConsole();

    private static IAnsiConsole CreateConsole()
    {
        bool redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected) console.Profile.Width = 200; // files and CI logs: don't wrap tables at 80 columns
        return console;
    }
}
