using Harness.Core.Reporting;
using System.CommandLine;
using System.Globalization;
using Harness.Core;
using Harness.Core.Learned;
using Harness.Core.Meta;
using Harness.Core.Models;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>`harness shapes`: parameter counts and tensor shape flow of f, of each meta-train experiment's g, and of an Elman network.</summary>
public static class ShapesCommand
{
    public static Command Build()
    {
        var elman = new Option<int[]>("--elman")
        {
            Description = "An Elman network as n_x h1 … n_y (default: 4 3 2 2, the study's hidden sizes 3 and 2).",
            DefaultValueFactory = _ => [4, 3, 2, 2],
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("shapes", "Print parameter counts and the tensor shape flow of f, g and an Elman network.") { elman };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var sizes = parse.GetValue(elman)!;
            if (sizes.Length < 3 || sizes.Any(s => s < 1))
                throw new UserInputException("--elman takes n_x, one or more hidden sizes and n_y, all ≥ 1 (e.g. --elman 4 3 2 2)");
            var path = parse.GetValue(RunCommands.File)!;
            var metaTrains = File.Exists(path)
                ? RunCommands.LoadFile(path).Experiments.Where(e => e.Settings is MetaTrainSettings).ToList()
                : [];
            var f = metaTrains.Select(e => ((MetaTrainSettings)e.Settings).ResolvedF).FirstOrDefault() ?? MlpArchitecture.Study;
            Print($"f (batch B rows; the study's task: B = 1,600)", ShapeReport.Mlp(f));
            string p = f.ParameterCount.ToString(CultureInfo.InvariantCulture);
            if (metaTrains.Count == 0) Print($"g (the study's, over P = {p} coordinates of f)", ShapeReport.LearnedOptimizer(new LearnedOptimizerSettings(), p));
            foreach (var e in metaTrains)
                Print($"g of {e.Id} (applied to P = {p} coordinates of f, each a batch row; shared weights)",
                    ShapeReport.LearnedOptimizer(((MetaTrainSettings)e.Settings).Optimizer, p));
            int nx = sizes[0], ny = sizes[^1];
            var hidden = sizes[1..^1];
            var rows = ShapeReport.Elman(nx, hidden, ny);
            Print($"Elman network n_x = {nx}, hidden [{string.Join(", ", hidden)}], n_y = {ny}", rows);
            if (hidden.SequenceEqual([3, 2]))
                Console.WriteLine($"  hidden sizes 3 and 2: 3·n_x + 3·n_y + 24 = 3·{nx} + 3·{ny} + 24 = {3 * nx + 3 * ny + 24} weights");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(string title, IReadOnlyList<ShapeRow> rows)
    {
        Console.WriteLine(title);
        var table = new Table().AddColumns("layer", "output shape", "parameters", "detail");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Layer), Markup.Escape(r.OutputShape), r.Parameters.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(r.Detail));
        table.AddRow("total", "", ShapeReport.Total(rows).ToString("N0", CultureInfo.InvariantCulture), "");
        CliApp.Console2.Write(table);
        Console.WriteLine();
    }
}
