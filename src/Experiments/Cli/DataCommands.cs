using System.CommandLine;
using System.Globalization;
using Harness.Core;
using Harness.Core.Data;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>`harness data generate|show`: the seeded dataset families (or a CSV file) as files and at a glance.</summary>
public static class DataCommands
{
    public static Command Build()
    {
        var data = new Command("data", "Generate, load and inspect datasets (the seeded families or a CSV file).");
        data.Subcommands.Add(BuildGenerate());
        data.Subcommands.Add(BuildShow());
        return data;
    }

    /// <summary>The generator's options, one per key of a dataset's `generate:` block (docs/experiments.md).</summary>
    private sealed class GeneratorOptions
    {
        public readonly Option<string?> Preset = new("--preset") { Description = $"Spiral preset: {string.Join(", ", SpiralParameters.Presets.Keys)}." };
        public readonly Option<string?> Family = new("--family")
        {
            Description = $"Dataset family: {string.Join(", ", Enum.GetNames<DatasetFamily>().Select(n => n.ToLowerInvariant()))} (default spirals).",
        };
        public readonly Option<ulong> Seed = new("--seed") { Description = "Generator seed (the same seed gives the same file).", DefaultValueFactory = _ => 1UL };
        public readonly Option<int?> Rows = new("--rows") { Description = "Row count (even: half from each class); a preset gives its own." };
        public readonly Option<double?> Turns = new("--turns") { Description = "spirals: number of turns." };
        public readonly Option<double?> Noise = new("--noise") { Description = "spirals: radial noise std; moons, circles: coordinate noise std." };
        public readonly Option<int?> Cells = new("--cells") { Description = "checkerboard: cells per side (xor is 2)." };
        public readonly Option<double?> Overlap = new("--overlap") { Description = "blobs: the Bayes error of the two classes, in (0, 0.5)." };
        public readonly Option<double?> Factor = new("--factor") { Description = "circles: the inner circle's radius, in (0, 1)." };
        public readonly Option<double> Rotation = new("--rotation") { Description = "Rotate the plane by this many degrees." };
        public readonly Option<double> LabelNoise = new("--label-noise") { Description = "Share of each class whose label is flipped, in [0, 0.5)." };
        public readonly Option<int> ExtraDims = new("--extra-dims") { Description = "Pure-noise feature columns added after x and y." };

        public IEnumerable<Option> All => [Preset, Family, Seed, Rows, Turns, Noise, Cells, Overlap, Factor, Rotation, LabelNoise, ExtraDims];

        public bool Given(ParseResult parse) => parse.GetValue(Preset) is not null || parse.GetValue(Family) is not null;

        /// <summary>The dataset these options describe, every problem named by its option.</summary>
        public Dataset Generate(ParseResult parse)
        {
            var presetName = parse.GetValue(Preset);
            DatasetFamily? family = null;
            if (parse.GetValue(Family) is { } name)
                family = Enum.TryParse<DatasetFamily>(name, ignoreCase: true, out var f) && !int.TryParse(name, out _)
                    ? f
                    : throw new UserInputException($"unknown family '{name}' (--family): use one of " +
                                                   string.Join(", ", Enum.GetNames<DatasetFamily>().Select(n => n.ToLowerInvariant())));
            var spec = new GeneratedDatasetSpec(presetName, parse.GetValue(Seed), family, parse.GetValue(Rows), parse.GetValue(Turns),
                Noise: parse.GetValue(Noise), Cells: parse.GetValue(Cells), Overlap: parse.GetValue(Overlap), Factor: parse.GetValue(Factor),
                Rotation: parse.GetValue(Rotation), LabelNoise: parse.GetValue(LabelNoise), ExtraDims: parse.GetValue(ExtraDims));
            // The spec loader's checks, each named by its option.
            var problems = DatasetMaterializer.Problems(spec).Select(p => $"{p.Message} (--{p.Key.Replace('_', '-')})").ToList();
            if (problems.Count > 0) throw new UserInputException(string.Join(Environment.NewLine, problems));
            var settings = DatasetMaterializer.Settings(spec);
            return DatasetGenerator.Generate(settings, spec.Seed, presetName ?? settings.Family.ToString().ToLowerInvariant());
        }
    }

    private static Command BuildGenerate()
    {
        var generator = new GeneratorOptions();
        var output = new Option<string>("--out") { Description = "CSV file to write (its feature columns, then label).", Required = true };
        var command = new Command("generate", "Write a seeded dataset of any family as CSV.") { output };
        foreach (var option in generator.All) command.Options.Add(option);
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            if (!generator.Given(parse)) throw new UserInputException("give --preset NAME or --family NAME (with --rows)");
            var path = parse.GetValue(output)!;
            UserPaths.EnsureFileTarget(path, "--out");
            var dataset = generator.Generate(parse);
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
        var file = new Argument<string?>("file") { Description = "A CSV file with feature columns and a label column.", Arity = ArgumentArity.ZeroOrOne };
        var generator = new GeneratorOptions();
        var sample = new Option<int>("--head") { Description = "How many rows to show (the first N).", DefaultValueFactory = _ => 10 };
        var plot = new Option<string?>("--plot") { Description = "Also write a PNG scatter plot of the first two features, coloured by class, to this path." };
        var command = new Command("show", "Print a dataset's shape, class counts, ranges and a sample of rows.") { file, sample, plot };
        foreach (var option in generator.All) command.Options.Add(option);
        command.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var path = parse.GetValue(file);
            if ((path is null) == !generator.Given(parse))
                throw new UserInputException("give either a CSV file or --preset NAME / --family NAME (not both, not neither)");
            if (parse.GetValue(plot) is { } target) UserPaths.EnsureFileTarget(target, "--plot");
            var dataset = path is not null ? CsvDatasetReader.Read(path) : generator.Generate(parse);
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

    private const int ShownColumns = 8;

    private static void Show(Dataset d, int sampleRows)
    {
        var console = CliApp.Console2;
        string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        var columns = d.FeatureNames.Take(ShownColumns).ToList();
        string more = d.FeatureCount > ShownColumns ? $" (and {d.FeatureCount - ShownColumns} more)" : "";
        Console.WriteLine($"dataset {d.Name}: shape ({d.Rows}, {d.FeatureCount + 1}), columns {string.Join(", ", columns)}{more}, label");
        Console.WriteLine($"class counts: 0 -> {d.CountOf(0)}, 1 -> {d.CountOf(1)}");
        Console.WriteLine(string.Join(", ", columns.Select((name, c) => $"{name} in [{F(d.Features[c].Min())}, {F(d.Features[c].Max())}]")) +
                          (d.FeatureCount >= 2
                              ? $", radius (x, y) up to {F(Enumerable.Range(0, d.Rows).Max(i => Math.Sqrt(d.X[i] * d.X[i] + d.Y[i] * d.Y[i])))}"
                              : ""));
        Console.WriteLine($"fingerprint: {d.Fingerprint}");
        var table = new Table().AddColumn("row");
        foreach (var name in columns) table.AddColumn(name);
        table.AddColumn("label");
        for (int i = 0; i < Math.Min(sampleRows, d.Rows); i++)
            table.AddRow([i.ToString(CultureInfo.InvariantCulture), .. columns.Select((_, c) => F(d.Features[c][i])), d.Label[i] == 1 ? "1.0" : "0.0"]);
        console.Write(table);
    }
}
