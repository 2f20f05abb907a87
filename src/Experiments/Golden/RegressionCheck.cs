using System.Globalization;
using Harness.Core;
using Harness.Core.Evaluation;

namespace Harness.Experiments.Golden;

/// <summary>
/// Compares g's per-task final training losses in a fresh comparison with those of a stored baseline comparison, paired
/// on (horizon, task, init). g is "significantly worse" at a horizon when its losses are higher (median ratio > 1)
/// and the Wilcoxon signed-rank test, Holm-corrected across horizons, gives p below the threshold.
/// </summary>
public static class RegressionCheck
{
    public sealed record Row(int Horizon, int Pairs, double BaselineMean, double CurrentMean, double MedianRatio,
        double WilcoxonP, double HolmP, bool Worse);

    public static IReadOnlyList<Row> Compare(string baselineCsv, string currentCsv, string optimizer = "g", double alpha = 0.05)
    {
        var baseline = Read(baselineCsv, optimizer);
        var current = Read(currentCsv, optimizer);
        var rows = new List<Row>();
        foreach (var horizon in current.Keys.Select(k => k.Horizon).Distinct().Order())
        {
            var pairs = current.Where(c => c.Key.Horizon == horizon && baseline.ContainsKey(c.Key))
                .Select(c => (Base: baseline[c.Key], Now: c.Value)).ToList();
            if (pairs.Count == 0) continue;
            var finite = pairs.Where(p => double.IsFinite(p.Base) && double.IsFinite(p.Now)).ToList();
            var differences = finite.Select(p => p.Now - p.Base).ToList();
            var ratios = finite.Select(p => p.Now / Math.Max(p.Base, 1e-12)).ToList();
            rows.Add(new Row(horizon, pairs.Count, finite.Count > 0 ? finite.Average(p => p.Base) : double.NaN,
                finite.Count > 0 ? finite.Average(p => p.Now) : double.NaN,
                ratios.Count > 0 ? Statistics.Median(ratios) : double.NaN,
                Statistics.Wilcoxon(differences).PValue, double.NaN,
                pairs.Count(p => !double.IsFinite(p.Now) && double.IsFinite(p.Base)) > 0));
        }
        if (rows.Count == 0)
            throw new UserInputException($"{baselineCsv} and {currentCsv} share no (horizon, task, init) for '{optimizer}': " +
                                         "the baseline must come from the same comparison experiment (same tasks and inits).");
        var holm = Statistics.Holm(rows.Select(r => r.WilcoxonP).ToList());
        return rows.Select((r, i) => r with
        {
            HolmP = holm[i],
            Worse = r.Worse || (r.MedianRatio > 1 && holm[i] < alpha),
        }).ToList();
    }

    /// <summary>Reads a comparison's per-task.csv: (horizon, task, init) → final training loss of one optimizer.</summary>
    public static Dictionary<(int Horizon, int Task, int Init), double> Read(string path, string optimizer)
    {
        if (!File.Exists(path))
            throw new UserInputException($"{path}: no such file; give a compare result folder (outputs/ID/HASH) or its per-task.csv.");
        var lines = File.ReadAllLines(path);
        var header = lines.FirstOrDefault()?.Split(',') ?? [];
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i : throw new UserInputException($"{path}: not a comparison's per-task.csv (no '{name}' column).");
        int o = Col("optimizer"), h = Col("horizon"), t = Col("task"), n = Col("init"), l = Col("final_train_loss");
        var result = new Dictionary<(int, int, int), double>();
        foreach (var line in lines.Skip(1).Where(x => x.Length > 0))
        {
            var f = line.Split(',');
            if (f[o] != optimizer) continue;
            var inv = CultureInfo.InvariantCulture;
            result[(int.Parse(f[h], inv), int.Parse(f[t], inv), int.Parse(f[n], inv))] =
                double.Parse(f[l].Replace("∞", "Infinity"), NumberStyles.Float, inv);
        }
        return result;
    }
}
