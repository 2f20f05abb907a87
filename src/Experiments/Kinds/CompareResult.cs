namespace Harness.Experiments.Kinds;

/// <summary>
/// One optimizer at one horizon on the test tasks: its rate, summaries across tasks and divergences; for g with a
/// guard, the share of its steps (mean over problems, and the largest of one problem) that were Adam's fallback step.
/// </summary>
public sealed record OptimizerAtHorizon(
    string Optimizer,
    int Horizon,
    double? LearningRate,
    bool RateAtGridEdge,
    int Diverged,
    Harness.Core.Evaluation.Summary FinalTrainLoss,
    IReadOnlyDictionary<string, Harness.Core.Evaluation.Summary> TestMetrics,
    double? FallbackShare = null,
    double? MaxFallbackShare = null);

/// <summary>
/// g against one baseline at one horizon, paired on the same tasks and inits (lower training loss wins). The accuracy
/// difference (g − baseline, mean over pairs) has a bootstrap 95% CI: "no worse than Adam" is read off its low end.
/// Near 100% accuracy a mean hides how few points differ, so the pairs where g's test accuracy is lower and higher
/// are counted too, with their two-sided sign test.
/// </summary>
public sealed record PairedComparison(
    string Baseline,
    int Horizon,
    int Pairs,
    double WinRate,
    double SignTestP,
    double WilcoxonP,
    double HolmP,
    double MedianLossRatio,
    double LossDifferenceCiLow,
    double LossDifferenceCiHigh,
    double AccuracyDifference,
    double? SpeedupToTarget,
    double AccuracyDifferenceCiLow = double.NaN,
    double AccuracyDifferenceCiHigh = double.NaN,
    int AccuracyLowerPairs = 0,
    int AccuracyHigherPairs = 0,
    double AccuracySignTestP = double.NaN);

/// <summary>Mean final training loss and test accuracy of a baseline on the tuning tasks for each rate (the stability view).</summary>
public sealed record TuningPoint(string Optimizer, int Horizon, double LearningRate, double MeanTrainLoss, double MeanTestAccuracy, int Diverged);

/// <summary>Spread of test accuracy across initialisations of the same task (mean over tasks of the std across inits).</summary>
public sealed record InitStability(string Optimizer, int Horizon, double MeanStdAcrossInits);

public sealed record CompareResult(
    int Problems,
    int TuningTasks,
    IReadOnlyList<OptimizerAtHorizon> Optimizers,
    IReadOnlyList<PairedComparison> Comparisons,
    IReadOnlyList<TuningPoint> Tuning,
    IReadOnlyList<InitStability> InitStability);
