using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harness.Core.Configuration;
using Harness.Core.Runtime;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>
/// `harness bench --both-numerics`: the price of portable numerics. The mode is fixed when libtorch loads, so each
/// mode is timed in its own child process (the same bench, with --skip-epoch), alternating portable, fast, portable,
/// fast so that a change in the machine's speed during the measurement falls on both; medians over the passes.
/// </summary>
public static class NumericsPrice
{
    private const int Passes = 2;

    public static void WriteSummary(string path, IReadOnlyList<BenchCommand.StepTimes> times) =>
        File.WriteAllText(path, JsonSerializer.Serialize(times, HarnessJson.Options));

    public static void Measure(int[] threadCounts)
    {
        var arguments = ChildArguments(Environment.GetCommandLineArgs().Skip(1).ToList());
        var measured = new Dictionary<NumericsMode, List<BenchCommand.StepTimes>>
        {
            [NumericsMode.Portable] = [],
            [NumericsMode.Fast] = [],
        };
        for (int pass = 0; pass < Passes; pass++)
            foreach (var mode in new[] { NumericsMode.Portable, NumericsMode.Fast })
            {
                Console.WriteLine($"pass {pass + 1} of {Passes}: {mode.Name()} numerics…");
                measured[mode].AddRange(RunChild(arguments, mode));
            }

        var table = new Table().AddColumns("threads", "numerics", "Adam ms/step", "g ms/step", "g / Adam", "g + guard ms/step", "g + guard / Adam");
        foreach (var threads in threadCounts)
        {
            foreach (var mode in measured.Keys)
            {
                var rows = measured[mode].Where(t => t.Threads == threads).ToList();
                double adam = Median(rows.Select(r => r.AdamMs)), g = Median(rows.Select(r => r.GMs));
                double? guarded = rows.All(r => r.GuardedGMs is not null) && rows.Count > 0 ? Median(rows.Select(r => r.GuardedGMs!.Value)) : null;
                table.AddRow(threads.ToString(CultureInfo.InvariantCulture), mode.Name(), $"{adam:F1}", $"{g:F1}", $"{g / adam:F2}",
                    guarded is null ? "-" : $"{guarded:F1}", guarded is null ? "-" : $"{guarded / adam:F2}");
            }
            double Price(Func<BenchCommand.StepTimes, double> of) =>
                Median(measured[NumericsMode.Portable].Where(t => t.Threads == threads).Select(of)) /
                Median(measured[NumericsMode.Fast].Where(t => t.Threads == threads).Select(of));
            table.AddRow(threads.ToString(CultureInfo.InvariantCulture), "portable / fast", $"{Price(t => t.AdamMs):F2}×", $"{Price(t => t.GMs):F2}×", "", "", "");
        }
        Console.WriteLine($"medians over {Passes} passes per mode, each pass a separate process:");
        CliApp.Console2.Write(table);
    }

    /// <summary>The bench's own arguments without the options this wrapper sets for each child.</summary>
    internal static List<string> ChildArguments(IReadOnlyList<string> original)
    {
        var kept = new List<string>();
        for (int i = 0; i < original.Count; i++)
        {
            var a = original[i];
            if (a is "--both-numerics" or "--skip-epoch") continue;
            if (a.StartsWith("--both-numerics=", StringComparison.Ordinal) || a.StartsWith("--numerics=", StringComparison.Ordinal) ||
                a.StartsWith("--summary-json=", StringComparison.Ordinal)) continue;
            if (a is "--numerics" or "--summary-json") { i++; continue; }
            kept.Add(a);
        }
        kept.Add("--skip-epoch");
        return kept;
    }

    private static IReadOnlyList<BenchCommand.StepTimes> RunChild(IReadOnlyList<string> arguments, NumericsMode mode)
    {
        var summary = Path.Combine(Path.GetTempPath(), $"harness-bench-{Guid.NewGuid():N}.json");
        try
        {
            var (program, prefix) = Self();
            var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var a in prefix.Concat(arguments).Concat(["--numerics", mode.Name(), "--summary-json", summary])) start.ArgumentList.Add(a);
            using var child = Process.Start(start)!;
            var output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            if (child.ExitCode != 0)
                throw new InvalidOperationException($"the {mode.Name()} bench exited with {child.ExitCode}:{Environment.NewLine}{output}");
            return JsonSerializer.Deserialize<List<BenchCommand.StepTimes>>(File.ReadAllText(summary), HarnessJson.Options)!;
        }
        finally
        {
            File.Delete(summary);
        }
    }

    /// <summary>How to start this program again: `dotnet harness.dll` or the app host itself.</summary>
    private static (string Program, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath!;
        var entry = System.Reflection.Assembly.GetEntryAssembly()!.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? (process, [entry]) : (process, []);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
