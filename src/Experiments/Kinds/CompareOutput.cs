using System.Globalization;
using System.Text;
using Harness.Core.Evaluation;
using Harness.Core.Runtime;
using Harness.Core.Tracking;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Kinds;

/// <summary>
/// A comparison's result record and its artifacts: comparison.md, per-task.csv, curves.csv, accuracy-curves.csv,
/// tuning.csv, and the plots (loss and accuracy against step, learning-rate sensitivity, decision regions).
/// </summary>
public sealed class CompareOutput(CompareResult result, IReadOnlyList<CompareRow> rows, IReadOnlyList<CurvePoint> curves,
    IReadOnlyList<AccuracyPoint> accuracyCurves, IReadOnlyList<Harness.Core.Reporting.DecisionGrid> regions, int regionTask)
    : IPrintedOutput
{
    public object Summary => result;
    public CompareResult Result => result;

    /// <summary>MLflow metrics: each mean loss curve by step, g's fallback share and each test metric's mean, per horizon.</summary>
    public static void Log(ITrackedRun run, ComparisonOutcome outcome)
    {
        foreach (var group in outcome.Curves.GroupBy(c => $"T{c.Horizon}/{c.Optimizer}"))
            run.LogMetrics(group.Where(c => double.IsFinite(c.Mean)).Select(c => ($"{group.Key}/mean_train_loss", c.Mean, (long)c.Step)));
        foreach (var o in outcome.Result.Optimizers.Where(o => o.FallbackShare is not null))
            run.LogMetrics([($"T{o.Horizon}/{o.Optimizer}/fallback_share", o.FallbackShare!.Value, (long)o.Horizon)]);
        foreach (var o in outcome.Result.Optimizers.Where(o => o.ForwardPassesPerStep is not null))
            run.LogMetrics([($"T{o.Horizon}/{o.Optimizer}/forward_passes_per_step", o.ForwardPassesPerStep!.Value, (long)o.Horizon)]);
        foreach (var o in outcome.Result.Optimizers)
            run.LogMetrics(o.TestMetrics.Select(m => ($"T{o.Horizon}/{o.Optimizer}/test_{m.Key}", m.Value.Mean, (long)o.Horizon))
                .Where(m => double.IsFinite(m.Item2)));
    }

    private static string F(double value, string format = "F4") =>
        double.IsNaN(value) ? "n/a" : double.IsPositiveInfinity(value) ? "∞" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string P(double p) => double.IsNaN(p) ? "n/a" : p < 1e-4 ? "<1e-4" : p.ToString("F4", CultureInfo.InvariantCulture);

    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"**compare**: {result.Problems} test problems; baseline rates tuned on {result.TuningTasks} training tasks per horizon\n");
        foreach (var horizon in result.Optimizers.Select(o => o.Horizon).Distinct())
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n### T = {horizon}\n\n");
            sb.Append("| optimizer | lr | test accuracy (95% CI) | test loss | F1 | ROC-AUC | train loss (median) | diverged | f passes per step (fwd / bwd) |\n");
            sb.Append("|---|---|---|---|---|---|---|---|---|\n");
            foreach (var o in result.Optimizers.Where(o => o.Horizon == horizon).OrderBy(o => o.FinalTrainLoss.Median))
            {
                var acc = o.TestMetrics["accuracy"];
                string rate = o.LearningRate is double r ? r.ToString("G3", CultureInfo.InvariantCulture) + (o.RateAtGridEdge ? " (grid edge!)" : "") : "learned";
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {o.Optimizer} | {rate} | {F(acc.Mean * 100, "F2")}% ({F(acc.CiLow * 100, "F2")}–{F(acc.CiHigh * 100, "F2")}) | " +
                    $"{F(o.TestMetrics["loss"].Mean)} | {Metric(o, "f1")} | {Metric(o, "roc_auc")} | {F(o.FinalTrainLoss.Median)} | {o.Diverged} | " +
                    $"{F(o.ForwardPassesPerStep ?? double.NaN, "F2")} / {F(o.BackwardPassesPerStep ?? double.NaN, "F2")} |\n");
            }
            foreach (var o in result.Optimizers.Where(o => o.Horizon == horizon && o.FallbackShare is not null))
                sb.Append(CultureInfo.InvariantCulture,
                    $"\n{o.Optimizer}'s guard took Adam's step instead of {o.Optimizer}'s on {F(o.FallbackShare!.Value * 100, "F1")}% of the steps " +
                    $"(at most {F(o.MaxFallbackShare!.Value * 100, "F1")}% on one problem).\n");
            sb.Append("\n| g vs | win rate | sign p | Wilcoxon p | Holm p | median loss ratio g/b | Δ train loss 95% CI | Δ accuracy (95% CI) | tasks g less / more accurate (sign p) | steps to g's median loss / T |\n");
            sb.Append("|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var c in result.Comparisons.Where(c => c.Horizon == horizon))
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {c.Baseline} | {F(c.WinRate * 100, "F0")}% | {P(c.SignTestP)} | {P(c.WilcoxonP)} | {P(c.HolmP)} | {F(c.MedianLossRatio, "F3")} | " +
                    $"[{F(c.LossDifferenceCiLow)}, {F(c.LossDifferenceCiHigh)}] | {F(c.AccuracyDifference * 100, "+0.00;-0.00")} pp " +
                    $"[{F(c.AccuracyDifferenceCiLow * 100, "+0.00;-0.00")}, {F(c.AccuracyDifferenceCiHigh * 100, "+0.00;-0.00")}] | " +
                    $"{c.AccuracyLowerPairs} / {c.AccuracyHigherPairs} ({P(c.AccuracySignTestP)}) | " +
                    $"{(c.SpeedupToTarget is double s ? s.ToString("F2", CultureInfo.InvariantCulture) : "never (> 1)")} |\n");
        }
        return sb.ToString();
    }

    private static string Metric(OptimizerAtHorizon o, string name) =>
        o.TestMetrics.TryGetValue(name, out var s) ? F(s.Mean) : "–";

    public void Save(string directory)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, "comparison.md"), Describe());
        var inv = CultureInfo.InvariantCulture;
        var perTask = new StringBuilder("optimizer,horizon,learning_rate,task,init,final_train_loss,diverged,accuracy,loss,precision,recall,f1,roc_auc,pr_auc,tp,fp,tn,fn\n");
        foreach (var r in rows)
        {
            var t = r.Test;
            perTask.Append(inv, $"{r.Optimizer},{r.Horizon},{r.LearningRate?.ToString("R", inv) ?? ""},{r.Task},{r.Init},{r.FinalTrainLoss.ToString("R", inv)},{(t is null ? "true" : "false")},");
            perTask.Append(t is null ? ",,,,,,,,,,\n" : string.Create(inv,
                $"{t.Accuracy:R},{t.Loss:R},{t.Precision:R},{t.Recall:R},{t.F1:R},{t.RocAuc:R},{t.PrAuc:R},{t.TruePositives},{t.FalsePositives},{t.TrueNegatives},{t.FalseNegatives}\n"));
        }
        AtomicFile.WriteAllText(Path.Combine(directory, "per-task.csv"), perTask.ToString());
        var curveCsv = new StringBuilder("optimizer,horizon,step,mean_train_loss,band_low,band_high\n");
        foreach (var c in curves) curveCsv.Append(inv, $"{c.Optimizer},{c.Horizon},{c.Step},{c.Mean:R},{c.Low:R},{c.High:R}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "curves.csv"), curveCsv.ToString());
        var tuning = new StringBuilder("optimizer,horizon,learning_rate,mean_train_loss,mean_test_accuracy,diverged\n");
        foreach (var t in result.Tuning) tuning.Append(inv, $"{t.Optimizer},{t.Horizon},{t.LearningRate:R},{t.MeanTrainLoss:R},{t.MeanTestAccuracy:R},{t.Diverged}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "tuning.csv"), tuning.ToString());
        foreach (var horizon in curves.Select(c => c.Horizon).Distinct())
        {
            var groups = curves.Where(c => c.Horizon == horizon).GroupBy(c => c.Optimizer).ToList();
            var lines = groups
                .Select(g => (g.Key, g.Select(c => c.Mean).ToArray(), g.Select(c => c.Low).ToArray(), g.Select(c => c.High).ToArray()))
                .ToList();
            Harness.Core.Reporting.Plots.LossCurves($"training loss on {result.Problems} held-out tasks, T = {horizon}", lines,
                Path.Combine(directory, $"loss-curves-T{horizon}.png"), groups.Select(g => g.Select(c => (double)c.Step).ToArray()).ToList());
        }
        var accuracyCsv = new StringBuilder("optimizer,horizon,step,mean_test_accuracy,band_low,band_high\n");
        foreach (var a in accuracyCurves) accuracyCsv.Append(inv, $"{a.Optimizer},{a.Horizon},{a.Step},{a.Mean:R},{a.Low:R},{a.High:R}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "accuracy-curves.csv"), accuracyCsv.ToString());
        foreach (var horizon in accuracyCurves.Select(c => c.Horizon).Distinct())
        {
            var lines = accuracyCurves.Where(c => c.Horizon == horizon).GroupBy(c => c.Optimizer)
                .Select(g => (g.Key, g.Select(c => (double)c.Step).ToArray(), g.Select(c => c.Mean).ToArray(),
                    g.Select(c => c.Low).ToArray(), g.Select(c => c.High).ToArray()))
                .ToList();
            Harness.Core.Reporting.Plots.AccuracyCurves($"test accuracy on {result.Problems} held-out tasks, T = {horizon}", lines,
                Path.Combine(directory, $"accuracy-T{horizon}.png"));
        }
        foreach (var horizon in result.Tuning.Select(t => t.Horizon).Distinct())
        {
            var lines = result.Tuning.Where(t => t.Horizon == horizon).GroupBy(t => t.Optimizer)
                .Select(g => (g.Key, g.Select(t => t.LearningRate).ToArray(), g.Select(t => t.MeanTrainLoss).ToArray()))
                .ToList();
            Harness.Core.Reporting.Plots.LearningRateSensitivity(
                $"learning-rate sensitivity on {result.TuningTasks} training tasks, T = {horizon}", lines,
                Path.Combine(directory, $"lr-sensitivity-T{horizon}.png"));
        }
        foreach (var grid in regions)
            Harness.Core.Reporting.Plots.DecisionRegions($"held-out task {regionTask}", grid,
                Path.Combine(directory, $"decision-regions-{grid.Optimizer}.png"));
    }
}
