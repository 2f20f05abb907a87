using System.Globalization;
using Harness.Core;
using Harness.Core.Evaluation;

namespace Harness.Experiments.Golden;

/// <summary>
/// Compares g's per-task results in a fresh comparison with those of a stored baseline comparison, paired on (horizon,
/// task, init), on final training loss and on test loss, in the comparison's headline reading (matched f evaluations
/// for today's compare-harness; a per-task.csv without a budget column is step-matched). g is "significantly worse"
/// on a metric at a horizon when its values are higher (median ratio > 1) and the Wilcoxon signed-rank test,
/// Holm-corrected across every (metric, horizon), gives p below the threshold, or when it diverged where it did not.
/// </summary>
public static class RegressionCheck
{
    public static readonly IReadOnlyList<(string Column, string Name)> Metrics = [("final_train_loss", "train loss"), ("loss", "test loss")];

    public sealed record Row(string Metric, int Horizon, int Pairs, double BaselineMean, double CurrentMean, double MedianRatio,
        double WilcoxonP, double HolmP, bool Worse, string Budget = "steps");

    public static IReadOnlyList<Row> Compare(string baselineCsv, string currentCsv, string optimizer = "g", double alpha = 0.05)
    {
        string budget = HeadlineBudget(currentCsv);
        var rows = new List<Row>();
        foreach (var (column, name) in Metrics)
        {
            var baseline = Read(baselineCsv, optimizer, column, budget);
            var current = Read(currentCsv, optimizer, column, budget);
            foreach (var horizon in current.Keys.Select(k => k.Horizon).Distinct().Order())
            {
                var pairs = current.Where(c => c.Key.Horizon == horizon && baseline.ContainsKey(c.Key))
                    .Select(c => (Base: baseline[c.Key], Now: c.Value)).ToList();
                if (pairs.Count == 0) continue;
                var finite = pairs.Where(p => double.IsFinite(p.Base) && double.IsFinite(p.Now)).ToList();
                var differences = finite.Select(p => p.Now - p.Base).ToList();
                var ratios = finite.Select(p => p.Now / Math.Max(p.Base, 1e-12)).ToList();
                rows.Add(new Row(name, horizon, pairs.Count, finite.Count > 0 ? finite.Average(p => p.Base) : double.NaN,
                    finite.Count > 0 ? finite.Average(p => p.Now) : double.NaN,
                    ratios.Count > 0 ? Statistics.Median(ratios) : double.NaN,
                    Statistics.Wilcoxon(differences).PValue, double.NaN,
                    pairs.Count(p => !double.IsFinite(p.Now) && double.IsFinite(p.Base)) > 0, budget));
            }
        }
        if (rows.Count == 0)
            throw new UserInputException($"{baselineCsv} and {currentCsv} share no (horizon, task, init) for '{optimizer}' in the {budget} reading: " +
                                         "the baseline must come from the same comparison experiment (same tasks, inits and budget).");
        var holm = Statistics.Holm(rows.Select(r => r.WilcoxonP).ToList());
        return rows.Select((r, i) => r with
        {
            HolmP = holm[i],
            Worse = r.Worse || (r.MedianRatio > 1 && holm[i] < alpha),
        }).ToList();
    }

    /// <summary>The reading a per-task.csv lists first (its headline): its first row's budget, or steps for a file without the column.</summary>
    public static string HeadlineBudget(string path)
    {
        var lines = File.Exists(path) ? File.ReadLines(path).Take(2).ToList() : [];
        if (lines.Count < 2) return "steps";
        int column = Array.IndexOf(lines[0].Split(','), "budget");
        return column < 0 ? "steps" : lines[1].Split(',')[column];
    }

    /// <summary>
    /// Reads a comparison's per-task.csv: (horizon, task, init) → one column's value for one optimizer, in one reading
    /// (rows of another budget are skipped; a file without a budget column is all steps). A diverged problem's empty
    /// test loss reads as +∞.
    /// </summary>
    public static Dictionary<(int Horizon, int Task, int Init), double> Read(string path, string optimizer, string column = "final_train_loss",
        string budget = "steps")
    {
        if (!File.Exists(path))
            throw new UserInputException($"{path}: no such file; give a compare result folder (outputs/ID/HASH) or its per-task.csv.");
        var lines = File.ReadAllLines(path);
        var header = lines.FirstOrDefault()?.Split(',') ?? [];
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i : throw new UserInputException($"{path}: not a comparison's per-task.csv (no '{name}' column).");
        int o = Col("optimizer"), h = Col("horizon"), t = Col("task"), n = Col("init"), l = Col(column);
        int b = Array.IndexOf(header, "budget");
        var result = new Dictionary<(int, int, int), double>();
        foreach (var line in lines.Skip(1).Where(x => x.Length > 0))
        {
            var f = line.Split(',');
            if (f[o] != optimizer || (b >= 0 ? f[b] : "steps") != budget) continue;
            var inv = CultureInfo.InvariantCulture;
            result[(int.Parse(f[h], inv), int.Parse(f[t], inv), int.Parse(f[n], inv))] = f[l].Length == 0
                ? double.PositiveInfinity
                : double.Parse(f[l].Replace("∞", "Infinity"), NumberStyles.Float, inv);
        }
        return result;
    }
}
