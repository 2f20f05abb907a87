using System.Globalization;
using System.Text;
using Harness.Core.Evaluation;
using Harness.Core.Runtime;
using Harness.Core.Tracking;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Kinds;

/// <summary>
/// A comparison's result record and its artifacts: comparison.md (the headline reading's test-loss table and g's
/// speedup over tuned Adam first, the step-matched training-loss table after) and comparison.html (the same tables,
/// rendered by MLflow's artifact view), per-task.csv, speedups.csv,
/// speedup-curve.csv, timing.csv (the one measured, machine-dependent file), curves.csv, accuracy-curves.csv,
/// tuning.csv (the whole tuning surface), and the plots.
/// </summary>
public sealed class CompareOutput(CompareResult result, IReadOnlyList<CompareRow> rows, IReadOnlyList<CurvePoint> curves,
    IReadOnlyList<AccuracyPoint> accuracyCurves, IReadOnlyList<Harness.Core.Reporting.DecisionGrid> regions, int regionTask,
    IReadOnlyList<TaskSpeedup>? taskSpeedups = null, IReadOnlyList<SpeedupCurvePoint>? speedupCurve = null)
    : IPrintedOutput, IHeadlineOutput
{
    /// <summary>The artifact holding seconds: measured, so it differs between runs (every other file is reproduced exactly).</summary>
    public const string TimingFile = "timing.csv";

    public object Summary => result;
    public CompareResult Result => result;

    public static CompareOutput Of(ComparisonOutcome outcome, IReadOnlyList<Harness.Core.Reporting.DecisionGrid> regions, int regionTask) =>
        new(outcome.Result, outcome.Rows, outcome.Curves, outcome.AccuracyCurves, regions, regionTask, outcome.TaskSpeedups, outcome.SpeedupCurve);

    /// <summary>The tables as comparison.md and as comparison.html (MLflow's artifact view renders the HTML, not the Markdown).</summary>
    internal static void WriteTables(string directory, string title, string markdown)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, "comparison.md"), markdown);
        AtomicFile.WriteAllText(Path.Combine(directory, "comparison.html"), Harness.Core.Reporting.MarkdownHtml.Render(title, markdown));
    }

    internal static string F(double value, string format = "F4") =>
        double.IsNaN(value) ? "n/a" : double.IsPositiveInfinity(value) ? "∞" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Signed(double value, int decimals) => Harness.Core.Reporting.SignedNumber.Format(value, decimals);

    private static string P(double p) => double.IsNaN(p) ? "n/a" : p < 1e-4 ? "<1e-4" : p.ToString("F4", CultureInfo.InvariantCulture);

    private static string Pct(double share) => F(share * 100, "F0") + "%";

    private static string Rate(OptimizerAtHorizon o) => o.LearningRate is double r
        ? r.ToString("G3", CultureInfo.InvariantCulture) + (o.RateAtGridEdge ? " (grid edge!)" : "")
        : o.Optimizer switch
        {
            "lbfgs-wolfe" => "line search",
            LearnedControls.AdamWithGuard => "g's η",
            _ => "learned",
        };

    private static string Unit(Budget budget) => budget.Unit();

    /// <summary>"≥" where censored speedups (Adam never reached g's loss) enter at their bound: the IQM is then a lower bound.</summary>
    private static string Bound(SpeedupSummary s) => s.Censored > 0 ? "≥ " : "";

    /// <summary>
    /// The headline, first in report.md and the README: per horizon in the budget's unit, g's test loss against the
    /// strongest tuned baseline's (lowest mean test loss; g's controls are not baselines), g's win rate on test loss
    /// against it, g's controls, and g's speedup over tuned Adam in f evaluations.
    /// </summary>
    public string Headline()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{result.Problems} test problems, {Unit(result.Budget)} matched; test loss, mean (lower is better):\n\n");
        sb.Append("| T | g | strongest baseline | g wins on test loss (Holm p) | g without guard | Adam behind g's guard | speedup over tuned Adam (IQM, 95% CI) | g's guard share |\n");
        sb.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var horizon in result.Optimizers.Select(o => o.Horizon).Distinct())
        {
            var here = result.Optimizers.Where(o => o.Horizon == horizon).ToList();
            double Loss(string name) => here.FirstOrDefault(o => o.Optimizer == name)?.TestMetrics["loss"].Mean ?? double.NaN;
            var g = here.Single(o => o.Optimizer == OptimizerComparison.LearnedName);
            var best = here.Where(o => o.Optimizer != OptimizerComparison.LearnedName && !LearnedControls.Names.Contains(o.Optimizer))
                .OrderBy(o => o.TestMetrics["loss"].Mean).FirstOrDefault();
            var pair = best is null ? null : result.Comparisons.FirstOrDefault(c => c.Horizon == horizon && c.Baseline == best.Optimizer)?.TestLoss;
            var speedup = result.Speedups?.FirstOrDefault(s => s.Horizon == horizon && s.Unit == (result.Budget == Budget.Steps ? "steps" : "evaluations"));
            sb.Append(CultureInfo.InvariantCulture,
                $"| {horizon} | {F(Loss("g"))} | {(best is null ? "–" : $"{best.Optimizer} {F(best.TestMetrics["loss"].Mean)}")} | " +
                $"{(pair is null ? "–" : $"{Pct(pair.WinRate)} ({P(pair.HolmP)})")} | {F(Loss(LearnedControls.WithoutGuard))} | {F(Loss(LearnedControls.AdamWithGuard))} | " +
                $"{(speedup is null ? "–" : $"{Bound(speedup)}{F(speedup.Iqm, "F2")}× ({F(speedup.CiLow, "F2")}–{F(speedup.CiHigh, "F2")})")} | " +
                $"{(g.FallbackShare is double share ? F(share * 100, "F0") + "%" : "–")} |\n");
        }
        return sb.ToString();
    }

    public string Describe()
    {
        var sb = new StringBuilder();
        string headline = result.Budget switch
        {
            Budget.Evaluations => "matched f evaluations: every optimizer gets T forward passes of f per problem (a gradient is one, with its backward pass; a guard's or line search's extra loss one more) and is read at the last step it could afford",
            Budget.Seconds => "matched seconds: every optimizer gets T ms of its own time per problem (machine-dependent)",
            _ => "matched steps: every optimizer takes T steps (f evaluations per step differ)",
        };
        sb.Append(CultureInfo.InvariantCulture,
            $"**compare**: {result.Problems} test problems; baselines tuned per horizon on {result.TuningTasks} training tasks × {result.TuningInits} inits; {headline}.\n");
        Tables(sb, result.Budget, result.Optimizers, result.Comparisons, headlineTables: true);
        if (result.Speedups is { Count: > 0 } speedups)
        {
            sb.Append("\n### g's speedup over tuned Adam\n\n");
            sb.Append("Per problem: the cost tuned Adam (run to 2× each horizon by default) needs to reach g's training loss at T, ÷ g's cost; " +
                      "interquartile mean over problems with its bootstrap 95% CI; censored = Adam never reached g's loss within its run (the bound is used, so the IQM is then a lower bound, marked ≥).\n\n");
            sb.Append("| T | unit | IQM (95% CI) | median | censored |\n|---|---|---|---|---|\n");
            foreach (var s in speedups)
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {s.Horizon} | {s.Unit} | {Bound(s)}{F(s.Iqm, "F2")}× ({F(s.CiLow, "F2")}–{F(s.CiHigh, "F2")}) | {F(s.Median, "F2")}× | {s.Censored} of {s.Problems} |\n");
        }
        if (result.StepMatched is { } steps)
        {
            sb.Append("\n## Step-matched (every optimizer takes T steps; the f evaluations spent differ)\n");
            Tables(sb, Budget.Steps, steps.Optimizers, steps.Comparisons, headlineTables: false);
        }
        return sb.ToString();
    }

    private static void Tables(StringBuilder sb, Budget budget, IReadOnlyList<OptimizerAtHorizon> optimizers, IReadOnlyList<PairedComparison> comparisons,
        bool headlineTables)
    {
        foreach (var horizon in optimizers.Select(o => o.Horizon).Distinct())
        {
            var here = optimizers.Where(o => o.Horizon == horizon).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"\n### T = {horizon} {Unit(budget)}\n\n");
            sb.Append("| optimizer | lr | test loss (95% CI) | test accuracy (95% CI) | F1 | ROC-AUC | train loss (median) | steps | f passes (fwd / bwd) | diverged |\n");
            sb.Append("|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var o in here.OrderBy(o => headlineTables ? o.TestMetrics["loss"].Mean : o.FinalTrainLoss.Median))
            {
                var acc = o.TestMetrics["accuracy"];
                var loss = o.TestMetrics["loss"];
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {o.Optimizer} | {Rate(o)} | {F(loss.Mean)} ({F(loss.CiLow)}–{F(loss.CiHigh)}) | " +
                    $"{F(acc.Mean * 100, "F2")}% ({F(acc.CiLow * 100, "F2")}–{F(acc.CiHigh * 100, "F2")}) | " +
                    $"{Metric(o, "f1")} | {Metric(o, "roc_auc")} | {F(o.FinalTrainLoss.Median)} | {F(o.Steps ?? double.NaN, "F0")} | " +
                    $"{F(o.ForwardPasses ?? double.NaN, "F0")} / {F(o.BackwardPasses ?? double.NaN, "F0")} | {o.Diverged} |\n");
            }
            if (here.Count > 0 && here.All(o => o.TestMetrics["accuracy"].Mean >= 0.999))
                sb.Append("\nTest accuracy saturates here (every optimizer ≥ 99.9%): read test loss.\n");
            foreach (var o in here.Where(o => o.FallbackShare is not null))
                sb.Append(CultureInfo.InvariantCulture,
                    $"\n{o.Optimizer}'s guard took Adam's step instead of {o.Optimizer}'s on {F(o.FallbackShare!.Value * 100, "F1")}% of the steps " +
                    $"(at most {F(o.MaxFallbackShare!.Value * 100, "F1")}% on one problem).\n");
            var pairs = comparisons.Where(c => c.Horizon == horizon).ToList();
            if (headlineTables)
            {
                sb.Append("\n| g vs | test loss: g wins | Wilcoxon p | Holm p | median ratio g/b | Δ mean (95% CI) | train loss: g wins | Holm p | Δ accuracy pp (95% CI) | accuracy Holm p |\n");
                sb.Append("|---|---|---|---|---|---|---|---|---|---|\n");
                foreach (var c in pairs)
                {
                    var t = c.TestLoss;
                    sb.Append(CultureInfo.InvariantCulture,
                        $"| {c.Baseline} | {(t is null ? "n/a" : Pct(t.WinRate))} | {P(t?.WilcoxonP ?? double.NaN)} | {P(t?.HolmP ?? double.NaN)} | " +
                        $"{F(t?.MedianRatio ?? double.NaN, "F3")} | {Signed(t?.MeanDifference ?? double.NaN, 4)} " +
                        $"[{Signed(t?.DifferenceCiLow ?? double.NaN, 4)}, {Signed(t?.DifferenceCiHigh ?? double.NaN, 4)}] | " +
                        $"{Pct(c.WinRate)} | {P(c.HolmP)} | {Signed(c.AccuracyDifference * 100, 2)} " +
                        $"[{Signed(c.AccuracyDifferenceCiLow * 100, 2)}, {Signed(c.AccuracyDifferenceCiHigh * 100, 2)}] | {P(c.AccuracyHolmP)} |\n");
                }
                continue;
            }
            sb.Append("\n| g vs | train loss: g wins | sign p | Wilcoxon p | Holm p | median loss ratio g/b | Δ train loss 95% CI | Δ accuracy (95% CI) | tasks g less / more accurate (sign p) | steps to g's median loss / T |\n");
            sb.Append("|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var c in pairs)
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {c.Baseline} | {Pct(c.WinRate)} | {P(c.SignTestP)} | {P(c.WilcoxonP)} | {P(c.HolmP)} | {F(c.MedianLossRatio, "F3")} | " +
                    $"[{F(c.LossDifferenceCiLow)}, {F(c.LossDifferenceCiHigh)}] | {Signed(c.AccuracyDifference * 100, 2)} pp " +
                    $"[{Signed(c.AccuracyDifferenceCiLow * 100, 2)}, {Signed(c.AccuracyDifferenceCiHigh * 100, 2)}] | " +
                    $"{c.AccuracyLowerPairs} / {c.AccuracyHigherPairs} ({P(c.AccuracySignTestP)}) | " +
                    $"{(c.SpeedupToTarget is double s ? s.ToString("F2", CultureInfo.InvariantCulture) : "never (> 1)")} |\n");
        }
    }

    private static string Metric(OptimizerAtHorizon o, string name) =>
        o.TestMetrics.TryGetValue(name, out var s) ? F(s.Mean) : "–";

    public void Save(string directory)
    {
        WriteTables(directory, "comparison", Describe());
        var inv = CultureInfo.InvariantCulture;
        var perTask = new StringBuilder("optimizer,budget,horizon,learning_rate,task,init,steps,forward_passes,backward_passes,final_train_loss,diverged,accuracy,loss,precision,recall,f1,roc_auc,pr_auc,tp,fp,tn,fn\n");
        foreach (var r in rows)
        {
            var t = r.Test;
            perTask.Append(inv, $"{r.Optimizer},{r.Budget.ToString().ToLowerInvariant()},{r.Horizon},{r.LearningRate?.ToString("R", inv) ?? ""},{r.Task},{r.Init},{r.Steps},{r.ForwardPasses},{r.BackwardPasses},{r.FinalTrainLoss.ToString("R", inv)},{(t is null ? "true" : "false")},");
            perTask.Append(t is null ? ",,,,,,,,,,\n" : string.Create(inv,
                $"{t.Accuracy:R},{t.Loss:R},{t.Precision:R},{t.Recall:R},{t.F1:R},{t.RocAuc:R},{t.PrAuc:R},{t.TruePositives},{t.FalsePositives},{t.TrueNegatives},{t.FalseNegatives}\n"));
        }
        AtomicFile.WriteAllText(Path.Combine(directory, "per-task.csv"), perTask.ToString());
        if (taskSpeedups is { Count: > 0 })
        {
            var csv = new StringBuilder("horizon,task,init,g_train_loss,adam_steps_to_reach,censored,speedup_steps,speedup_evaluations\n");
            foreach (var s in taskSpeedups)
                csv.Append(inv, $"{s.Horizon},{s.Task},{s.Init},{s.Target:R},{s.AdamStepsToReach?.ToString(inv) ?? ""},{(s.Censored ? "true" : "false")},{s.Steps:R},{s.Evaluations:R}\n");
            AtomicFile.WriteAllText(Path.Combine(directory, "speedups.csv"), csv.ToString());
        }
        if (speedupCurve is { Count: > 0 })
        {
            var csv = new StringBuilder("horizon,step,speedup_iqm_steps\n");
            foreach (var s in speedupCurve) csv.Append(inv, $"{s.Horizon},{s.Step},{s.Iqm:R}\n");
            AtomicFile.WriteAllText(Path.Combine(directory, "speedup-curve.csv"), csv.ToString());
        }
        if (result.Optimizers.Any(o => o.Seconds is not null))
        {
            var csv = new StringBuilder("optimizer,horizon,steps,seconds_per_problem,ms_per_step\n");
            foreach (var o in result.Optimizers.Where(o => o.Seconds is not null))
                csv.Append(inv, $"{o.Optimizer},{o.Horizon},{o.Steps:R},{o.Seconds:R},{(o.Steps > 0 ? o.Seconds!.Value * 1000 / o.Steps!.Value : double.NaN):R}\n");
            var seconds = (taskSpeedups ?? []).Where(s => double.IsFinite(s.Seconds)).GroupBy(s => s.Horizon).ToList();
            if (seconds.Count > 0)
            {
                csv.Append("\nhorizon,speedup_iqm_seconds,speedup_median_seconds\n");
                foreach (var grp in seconds)
                {
                    var values = grp.Select(s => s.Seconds).ToList();
                    csv.Append(inv, $"{grp.Key},{Statistics.InterquartileMean(values):R},{Statistics.Median(values):R}\n");
                }
            }
            AtomicFile.WriteAllText(Path.Combine(directory, TimingFile), csv.ToString());
        }
        var curveCsv = new StringBuilder("optimizer,horizon,step,mean_train_loss,band_low,band_high\n");
        foreach (var c in curves) curveCsv.Append(inv, $"{c.Optimizer},{c.Horizon},{c.Step},{c.Mean:R},{c.Low:R},{c.High:R}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "curves.csv"), curveCsv.ToString());
        var tuning = new StringBuilder("optimizer,horizon,learning_rate,beta1,beta2,runs,mean_train_loss,mean_test_accuracy,diverged\n");
        foreach (var t in result.Tuning)
            tuning.Append(inv, $"{t.Optimizer},{t.Horizon},{t.LearningRate:R},{t.Beta1?.ToString("R", inv) ?? ""},{t.Beta2?.ToString("R", inv) ?? ""},{t.Runs},{t.MeanTrainLoss:R},{t.MeanTestAccuracy:R},{t.Diverged}\n");
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
            // The sensitivity plot draws rate → loss at Adam's default β (adam-betas' other β settings are in tuning.csv).
            var lines = result.Tuning.Where(t => t.Horizon == horizon && (t.Beta1 ?? 0.9) == 0.9 && (t.Beta2 ?? 0.999) == 0.999)
                .GroupBy(t => t.Optimizer)
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
