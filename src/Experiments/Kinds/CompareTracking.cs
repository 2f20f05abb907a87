using System.Globalization;
using Harness.Core.Evaluation;
using Harness.Core.Tracking;

namespace Harness.Experiments.Kinds;

/// <summary>
/// How a comparison appears in MLflow. Every (optimizer, horizon) is a child run of the compare run, with the same
/// param and metric names for every optimizer, so that MLflow's run comparison overlays them in distinct colours and
/// its parallel-coordinates plot reads learning_rate → test_loss. The compare run keeps what is about pairs: g's
/// paired statistics against each optimizer and its speedup over tuned Adam, and a tag naming its children.
/// </summary>
public static class CompareTracking
{
    /// <summary>The tag on the compare run listing its children ("adam T=100=RUNID,…").</summary>
    public const string ChildrenTag = "harness.optimizer_runs";

    /// <summary>A child's name: "adam T=100" (the runner prefixes the experiment id).</summary>
    public static string ChildName(string optimizer, int horizon) => $"{optimizer} T={horizon}";

    /// <summary>
    /// Logs the paired statistics on <paramref name="run"/> and one child per (optimizer, horizon) through startChild;
    /// each child logs the dataset inputs it was trained and read on.
    /// </summary>
    public static void Log(ITrackedRun run, ComparisonOutcome outcome, Func<string, ITrackedRun>? startChild,
        IReadOnlyList<DatasetInput>? datasets = null)
    {
        var result = outcome.Result;
        foreach (var c in result.Comparisons)
        {
            var prefix = $"T{c.Horizon}/g_vs_{c.Baseline}";
            run.LogMetrics(new (string, double, long)[]
            {
                ($"{prefix}/train_loss_win_rate", c.WinRate, c.Horizon),
                ($"{prefix}/train_loss_holm_p", c.HolmP, c.Horizon),
                ($"{prefix}/test_loss_win_rate", c.TestLoss?.WinRate ?? double.NaN, c.Horizon),
                ($"{prefix}/test_loss_holm_p", c.TestLoss?.HolmP ?? double.NaN, c.Horizon),
                ($"{prefix}/accuracy_difference", c.AccuracyDifference, c.Horizon),
            }.Where(m => double.IsFinite(m.Item2)));
        }
        foreach (var s in result.Speedups ?? [])
            if (double.IsFinite(s.Iqm)) run.LogMetrics([($"T{s.Horizon}/g/speedup_iqm_{s.Unit}", s.Iqm, (long)s.Horizon)]);
        if (startChild is null) return;

        var children = new List<string>();
        foreach (var o in result.Optimizers)
        {
            using var child = startChild(ChildName(o.Optimizer, o.Horizon));
            child.SetTag("harness.optimizer", o.Optimizer);
            child.SetTag("harness.horizon", o.Horizon.ToString(CultureInfo.InvariantCulture));
            child.LogParams(Params(o, result.Budget));
            if (datasets is { Count: > 0 }) child.LogInputs(datasets);
            child.LogMetrics(Metrics(o, outcome));
            child.SetTag("mlflow.note.content",
                $"**{o.Optimizer}** at T = {o.Horizon} {result.Budget.Unit()} on {result.Problems} test problems: test loss " +
                $"{CompareOutput.F(o.TestMetrics["loss"].Mean)}, test accuracy {CompareOutput.F(o.TestMetrics["accuracy"].Mean * 100, "F2")}%, {o.Diverged} diverged. " +
                "The paired statistics and the full tables are on the parent compare run (comparison.html).");
            child.End(RunStatus.Finished);
            children.Add($"{ChildName(o.Optimizer, o.Horizon)}={child.RunId}");
        }
        run.SetTag(ChildrenTag, string.Join(",", children));
    }

    /// <summary>The same keys for every optimizer: what was tuned and what the reading is matched on.</summary>
    public static IReadOnlyDictionary<string, string> Params(OptimizerAtHorizon o, Budget budget) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["optimizer"] = o.Optimizer,
        ["horizon"] = o.Horizon.ToString(CultureInfo.InvariantCulture),
        ["budget"] = budget.ToString().ToLowerInvariant(),
        ["learning_rate"] = o.LearningRate is double r ? r.ToString("R", CultureInfo.InvariantCulture)
            : o.Optimizer == "lbfgs-wolfe" ? "line search" : o.Optimizer == LearnedControls.AdamWithGuard ? "g's" : "learned",
        ["rate_at_grid_edge"] = o.RateAtGridEdge ? "true" : "false",
    };

    /// <summary>
    /// The training-loss curve (mean over problems, by step), the test-accuracy curve, and the finals at step T: test
    /// metrics (mean), median final training loss, divergences, cost (steps, f passes, seconds), g's guard share and speedup.
    /// </summary>
    public static IEnumerable<(string Key, double Value, long Step)> Metrics(OptimizerAtHorizon o, ComparisonOutcome outcome)
    {
        long t = o.Horizon;
        foreach (var c in outcome.Curves.Where(c => c.Optimizer == o.Optimizer && c.Horizon == o.Horizon && double.IsFinite(c.Mean)))
            yield return ("train_loss", c.Mean, c.Step);
        foreach (var a in outcome.AccuracyCurves.Where(a => a.Optimizer == o.Optimizer && a.Horizon == o.Horizon && double.IsFinite(a.Mean)))
            yield return ("test_accuracy_by_step", a.Mean, a.Step);
        foreach (var (name, summary) in o.TestMetrics)
            if (double.IsFinite(summary.Mean)) yield return ($"test_{name}", summary.Mean, t);
        if (double.IsFinite(o.FinalTrainLoss.Median)) yield return ("final_train_loss_median", o.FinalTrainLoss.Median, t);
        yield return ("diverged", o.Diverged, t);
        if (o.Steps is double steps) yield return ("steps", steps, t);
        if (o.ForwardPasses is double forward) yield return ("f_forward_passes", forward, t);
        if (o.BackwardPasses is double backward) yield return ("f_backward_passes", backward, t);
        if (o.ForwardPassesPerStep is double perStep) yield return ("forward_passes_per_step", perStep, t);
        if (o.Seconds is double seconds) yield return ("seconds_per_problem", seconds, t);
        if (o.FallbackShare is double share) yield return ("fallback_share", share, t);
        if (o.Optimizer == OptimizerComparison.LearnedName)
            foreach (var s in outcome.Result.Speedups ?? [])
                if (s.Horizon == o.Horizon && double.IsFinite(s.Iqm)) yield return ($"speedup_iqm_{s.Unit}", s.Iqm, t);
    }
}
