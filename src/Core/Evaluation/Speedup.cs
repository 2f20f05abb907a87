namespace Harness.Core.Evaluation;

/// <summary>
/// g's speedup over tuned Adam on one problem at one horizon (learned_optimization's measure): how much of Adam's
/// cost Adam needs to reach g's training loss at the horizon, divided by the cost g spent there, in steps, f
/// evaluations (forward passes) and seconds. Adam's curve is read through its monotone envelope (its best loss so
/// far). Where Adam never reaches g's loss within its run, the speedup is censored: at least Adam's whole run ÷ g's
/// cost, and the value given is that bound. A g that diverged has +∞ loss, which Adam reaches at once: speedup 0.
/// </summary>
public sealed record TaskSpeedup(int Task, int Init, int Horizon, double Target, int? AdamStepsToReach, double Steps, double Evaluations,
    bool Censored, [property: System.Text.Json.Serialization.JsonIgnore] double Seconds = double.NaN);

/// <summary>Speedups across problems at one horizon: interquartile mean with its bootstrap 95% CI, median, and how many were censored.</summary>
public sealed record SpeedupSummary(int Horizon, string Unit, int Problems, double Iqm, double CiLow, double CiHigh, double Median, int Censored);

/// <summary>The IQM of the speedup over problems at one of g's steps: the speedup curve along g's run.</summary>
public sealed record SpeedupCurvePoint(int Horizon, int Step, double Iqm);

public static class Speedups
{
    /// <summary>The monotone envelope of a loss curve: the best loss reached by each step.</summary>
    public static double[] Envelope(IReadOnlyList<float> curve)
    {
        var envelope = new double[curve.Count];
        double best = double.PositiveInfinity;
        for (int s = 0; s < curve.Count; s++)
        {
            if (float.IsFinite(curve[s])) best = Math.Min(best, curve[s]);
            envelope[s] = best;
        }
        return envelope;
    }

    /// <summary>The first step at which the envelope reaches the target (≤); null when it never does.</summary>
    public static int? StepsToReach(IReadOnlyList<double> envelope, double target)
    {
        if (double.IsPositiveInfinity(target) || double.IsNaN(target)) return 0;
        int reached = -1;
        for (int s = 0; s < envelope.Count; s++)
            if (envelope[s] <= target) { reached = s; break; }
        return reached < 0 ? null : reached;
    }

    /// <summary>
    /// Each problem's speedup of g (read at the horizon in <paramref name="view"/>) over Adam's trace on the same problems.
    /// </summary>
    public static IReadOnlyList<TaskSpeedup> AtHorizon(int horizon, TrainingTrace g, TrainingTrace adam, IReadOnlyList<(int Task, int Init)> problems,
        IReadOnlyList<int> taskIds, Budget view)
    {
        var result = new List<TaskSpeedup>();
        for (int p = 0; p < problems.Count; p++)
        {
            int gStep = g.ReadStep(p, horizon, view);
            double target = g.DivergedBy(p, gStep) ? double.PositiveInfinity : g.TrainLoss[p][gStep];
            var envelope = Envelope(adam.TrainLoss[p]); // a diverged run's loss stays at its last finite value
            var reached = StepsToReach(envelope, target);
            int adamStep = reached ?? adam.Steps;
            double Ratio(Budget unit)
            {
                double gCost = g.CostAt(p, gStep, unit);
                double adamCost = adam.CostAt(p, adamStep, unit);
                return gCost > 0 ? adamCost / gCost : double.NaN;
            }
            result.Add(new TaskSpeedup(taskIds[problems[p].Task], problems[p].Init, horizon, target, reached,
                Ratio(Budget.Steps), Ratio(Budget.Evaluations), reached is null, Ratio(Budget.Seconds)));
        }
        return result;
    }

    /// <summary>IQM, bootstrap CI, median and censored count of one unit's speedups.</summary>
    public static SpeedupSummary Summarize(int horizon, string unit, IReadOnlyList<TaskSpeedup> speedups, Func<TaskSpeedup, double> of,
        ulong seed, int resamples)
    {
        var values = speedups.Select(of).Where(v => !double.IsNaN(v)).ToList();
        var (low, high) = Statistics.BootstrapIqmCi(values, seed, resamples);
        return new SpeedupSummary(horizon, unit, values.Count, Statistics.InterquartileMean(values), low, high,
            values.Count > 0 ? Statistics.Median(values) : double.NaN, speedups.Count(s => s.Censored));
    }

    /// <summary>
    /// The speedup curve (in steps) along g's run up to a horizon, in the step view: at each given step s of g, the IQM
    /// over problems of (Adam's steps to reach g's loss at s) ÷ s, censored values at their bound.
    /// </summary>
    public static IEnumerable<SpeedupCurvePoint> Curve(int horizon, TrainingTrace g, TrainingTrace adam, IEnumerable<int> steps)
    {
        var envelopes = Enumerable.Range(0, adam.Problems).Select(p => Envelope(adam.TrainLoss[p])).ToArray();
        foreach (var s in steps.Where(s => s > 0 && s <= g.Steps))
        {
            var values = Enumerable.Range(0, g.Problems).Select(p =>
            {
                double target = g.DivergedBy(p, s) ? double.PositiveInfinity : g.TrainLoss[p][s];
                return (double)(StepsToReach(envelopes[p], target) ?? adam.Steps) / s;
            }).ToList();
            yield return new SpeedupCurvePoint(horizon, s, Statistics.InterquartileMean(values));
        }
    }
}
