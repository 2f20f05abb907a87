using System.CommandLine;
using System.Globalization;
using Harness.Core;
using Harness.Core.Data;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>`harness data generate|show`: the study's datasets as files and at a glance.</summary>
public static class DataCommands
{
    public static Command Build()
    {
        var data = new Command("data", "Generate, load and inspect the two-spirals datasets.");
        data.Subcommands.Add(BuildGenerate());
        data.Subcommands.Add(BuildShow());
        return data;
    }

    private static Option<string> PresetOption() => new("--preset")
    {
        Description = $"Spiral preset: {string.Join(", ", SpiralParameters.Presets.Keys)}.",
    };

    private static Option<ulong> SeedOption() => new("--seed")
    {
        Description = "Generator seed (the same seed gives the same file).",
        DefaultValueFactory = _ => 1UL,
    };

    private static Command BuildGenerate()
    {
        var preset = PresetOption();
        preset.Required = true;
        var output = new Option<string>("--out") { Description = "CSV file to write (columns x,y,label).", Required = true };
        var seed = SeedOption();
        var rows = new Option<int?>("--rows") { Description = "Override the preset's row count (even)." };
        var turns = new Option<double?>("--turns") { Description = "Override the preset's number of turns." };
        var noise = new Option<double?>("--noise") { Description = "Override the preset's radial noise (std)." };
        var command = new Command("generate", "Write a seeded two-spirals dataset as CSV.")
        {
            preset, output, seed, rows, turns, noise,
        };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var p = SpiralParameters.Preset(parse.GetValue(preset)!);
            p = p with
            {
                Rows = parse.GetValue(rows) ?? p.Rows,
                Turns = parse.GetValue(turns) ?? p.Turns,
                RadialNoise = parse.GetValue(noise) ?? p.RadialNoise,
            };
            var dataset = SpiralGenerator.Generate(p, parse.GetValue(seed), parse.GetValue(preset)!);
            var path = parse.GetValue(output)!;
            CsvDatasetWriter.Write(dataset, path);
            Console.WriteLine(
                $"wrote {dataset.Rows:N0} rows ({dataset.CountOf(0):N0} of class 0, {dataset.CountOf(1):N0} of class 1) " +
                $"to {path}; fingerprint {dataset.Fingerprint}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildShow()
    {
        var file = new Argument<string?>("file") { Description = "A CSV file with columns x,y,label.", Arity = ArgumentArity.ZeroOrOne };
        var preset = PresetOption();
        var seed = SeedOption();
        var sample = new Option<int>("--rows") { Description = "How many rows to show.", DefaultValueFactory = _ => 10 };
        var plot = new Option<string?>("--plot") { Description = "Also write a PNG scatter plot coloured by class to this path." };
        var command = new Command("show", "Print a dataset's shape, class counts, ranges and a sample of rows.")
        {
            file, preset, seed, sample, plot,
        };
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var path = parse.GetValue(file);
            var presetName = parse.GetValue(preset);
            if ((path is null) == (presetName is null))
                throw new UserInputException("give either a CSV file or --preset NAME (not both, not neither)");
            var dataset = path is not null
                ? CsvDatasetReader.Read(path)
                : SpiralGenerator.Generate(SpiralParameters.Preset(presetName!), parse.GetValue(seed), presetName!);
            Show(dataset, Math.Max(0, parse.GetValue(sample)));
            if (parse.GetValue(plot) is { } png)
            {
                Harness.Core.Reporting.Plots.DatasetScatter(dataset, png);
                Console.WriteLine($"scatter plot written to {png}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Show(Dataset d, int sampleRows)
    {
        var console = CliApp.Console2;
        string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        Console.WriteLine($"dataset {d.Name}: shape ({d.Rows}, 3), columns x, y, label");
        Console.WriteLine($"class counts: 0 -> {d.CountOf(0)}, 1 -> {d.CountOf(1)}");
        Console.WriteLine($"x in [{F(d.X.Min())}, {F(d.X.Max())}], y in [{F(d.Y.Min())}, {F(d.Y.Max())}], " +
                          $"radius up to {F(Enumerable.Range(0, d.Rows).Max(i => Math.Sqrt(d.X[i] * d.X[i] + d.Y[i] * d.Y[i])))}");
        Console.WriteLine($"fingerprint: {d.Fingerprint}");
        var table = new Table().AddColumn("row").AddColumn("x").AddColumn("y").AddColumn("label");
        for (int i = 0; i < Math.Min(sampleRows, d.Rows); i++)
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), F(d.X[i]), F(d.Y[i]), d.Label[i] == 1 ? "1.0" : "0.0");
        console.Write(table);
    }
}
