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

    /// <summary>One (metric, horizon): Pairs are the pairs with finite values on both sides (the means' pairs); NonFinite
    /// the pairs where either side diverged, reported beside them.</summary>
    public sealed record Row(string Metric, int Horizon, int Pairs, double BaselineMean, double CurrentMean, double MedianRatio,
        double WilcoxonP, double HolmP, bool Worse, string Budget = "steps", int NonFinite = 0);

    /// <summary>
    /// The check. A baseline that is damaged (a row cut short, a value that does not parse, NaN where nothing diverged) or
    /// partial (a horizon, task or init of the current comparison missing) is an error naming the file and line: a
    /// regression check on part of the data would pass for the wrong reason.
    /// </summary>
    public static IReadOnlyList<Row> Compare(string baselineCsv, string currentCsv, string optimizer = "g", double alpha = 0.05)
    {
        string budget = HeadlineBudget(currentCsv);
        var rows = new List<Row>();
        foreach (var (column, name) in Metrics)
        {
            var baseline = Read(baselineCsv, optimizer, column, budget);
            var current = Read(currentCsv, optimizer, column, budget);
            if (baseline.Count == 0)
                throw new UserInputException($"{baselineCsv} has no rows of '{optimizer}' in the {budget} reading, which {currentCsv} has: " +
                                             "the baseline must come from the same comparison experiment (same tasks, inits and budget).");
            foreach (var horizon in current.Keys.Select(k => k.Horizon).Distinct().Order())
            {
                var missing = current.Keys.Where(k => k.Horizon == horizon && !baseline.ContainsKey(k)).ToList();
                if (missing.Count > 0)
                    throw new UserInputException($"{baselineCsv} is partial: it lacks {missing.Count} of the current comparison's " +
                                                 $"(task, init) pairs of '{optimizer}' at T = {horizon} in the {budget} reading " +
                                                 $"(first: task {missing[0].Task}, init {missing[0].Init}); regenerate the baseline from the same experiment.");
                var pairs = current.Where(c => c.Key.Horizon == horizon).Select(c => (Base: baseline[c.Key], Now: c.Value)).ToList();
                var finite = pairs.Where(p => double.IsFinite(p.Base) && double.IsFinite(p.Now)).ToList();
                var differences = finite.Select(p => p.Now - p.Base).ToList();
                var ratios = finite.Select(p => p.Now / Math.Max(p.Base, 1e-12)).ToList();
                rows.Add(new Row(name, horizon, finite.Count, finite.Count > 0 ? finite.Average(p => p.Base) : double.NaN,
                    finite.Count > 0 ? finite.Average(p => p.Now) : double.NaN,
                    ratios.Count > 0 ? Statistics.Median(ratios) : double.NaN,
                    Statistics.Wilcoxon(differences).PValue, double.NaN,
                    pairs.Count(p => !double.IsFinite(p.Now) && double.IsFinite(p.Base)) > 0, budget, pairs.Count - finite.Count));
            }
        }
        if (rows.Count == 0)
            throw new UserInputException($"{currentCsv} has no rows of '{optimizer}' in the {budget} reading.");
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
    /// value reads as +∞, as does NaN on a row marked diverged. Every row is checked, whoever it belongs to: the file is
    /// whole (ends with a newline), every row has the header's fields, numbers parse, and NaN appears only where a run
    /// diverged.
    /// </summary>
    public static Dictionary<(int Horizon, int Task, int Init), double> Read(string path, string optimizer, string column = "final_train_loss",
        string budget = "steps")
    {
        if (!File.Exists(path))
            throw new UserInputException($"{path}: no such file; give a compare result folder (outputs/ID/HASH) or its per-task.csv.");
        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        var header = lines[0].Split(',');
        string Damaged(int line, string what) =>
            $"{path}:{line}: {what}; the file is damaged or was cut short: regenerate it (./harness run ID) or pass an intact copy.";
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i : throw new UserInputException($"{path}: not a comparison's per-task.csv (no '{name}' column).");
        int o = Col("optimizer"), h = Col("horizon"), t = Col("task"), n = Col("init"), l = Col(column);
        int b = Array.IndexOf(header, "budget"), d = Array.IndexOf(header, "diverged");
        if (text.Length > 0 && !text.EndsWith('\n'))
            throw new UserInputException(Damaged(lines.Length, "the last row has no line end (the file stops mid-row)"));
        var inv = CultureInfo.InvariantCulture;
        var result = new Dictionary<(int, int, int), double>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            int lineNumber = i + 1;
            var f = lines[i].Split(',');
            if (f.Length != header.Length)
                throw new UserInputException(Damaged(lineNumber, $"{f.Length} fields where the header has {header.Length}"));
            int Whole(int c) => int.TryParse(f[c], NumberStyles.Integer, inv, out var v)
                ? v : throw new UserInputException(Damaged(lineNumber, $"{header[c]} '{f[c]}' is not a whole number"));
            var key = (Whole(h), Whole(t), Whole(n));
            bool diverged = d >= 0 && f[d] == "true";
            double value;
            if (f[l].Length == 0) value = double.PositiveInfinity;
            else if (!double.TryParse(f[l].Replace("∞", "Infinity"), NumberStyles.Float, inv, out value))
                throw new UserInputException(Damaged(lineNumber, $"{column} '{f[l]}' is not a number"));
            if (double.IsNaN(value))
            {
                if (!diverged) throw new UserInputException(Damaged(lineNumber, $"{column} is NaN on a row that did not diverge"));
                value = double.PositiveInfinity;
            }
            if (f[o] != optimizer || (b >= 0 ? f[b] : "steps") != budget) continue;
            if (!result.TryAdd(key, value))
                throw new UserInputException(Damaged(lineNumber, $"a second row for {optimizer} at T = {key.Item1}, task {key.Item2}, init {key.Item3}"));
        }
        return result;
    }
}
