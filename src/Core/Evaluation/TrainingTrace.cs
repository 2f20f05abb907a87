namespace Harness.Core.Evaluation;

/// <summary>
/// What happened while one optimizer trained B problems for T steps: the training loss of each problem at every
/// step (index 0 = before the first step), test logits at the chosen evaluation steps, and which problems diverged
/// (NaN or infinite loss or step; their θ is frozen at the last finite value and they are reported as diverged),
/// and each problem's final θ (for decision regions). For an optimizer with a fallback (g's guard), which steps of
/// each problem were the fallback step: FellBack[p][s] is the step from s to s + 1. Evaluations counts the f
/// evaluations the optimizer itself asked for (per problem), not the measurements taken around it.
/// </summary>
public sealed record TrainingTrace(
    float[][] TrainLoss,
    IReadOnlyDictionary<int, float[][]> TestLogits,
    bool[] Diverged,
    int[] DivergedAtStep,
    double WallSeconds,
    float[][] FinalTheta,
    bool[][]? FellBack = null,
    EvaluationCount? Evaluations = null)
{
    public int Problems => TrainLoss.Length;
    public int Steps => TrainLoss[0].Length - 1;

    public float FinalTrainLoss(int problem) => TrainLoss[problem][^1];

    /// <summary>
    /// Whether a problem had diverged by a step: its loss or step went non-finite at or before it. A diverged problem
    /// is left out of means and bands from that step on and loses every paired comparison (its loss counts as +∞).
    /// </summary>
    public bool DivergedBy(int problem, int step) => Diverged[problem] && DivergedAtStep[problem] <= step;

    /// <summary>The share of a problem's first <paramref name="horizon"/> steps that were the fallback step; null without a fallback.</summary>
    public double? FallbackShare(int problem, int horizon) =>
        FellBack is null || horizon == 0 ? null : (double)FellBack[problem].Take(horizon).Count(f => f) / horizon;
}

/// <summary>
/// f evaluations per problem over a run: forward passes (losses, including the gradient's) and backward passes
/// (gradients). A full-batch step of a first-order optimizer costs one of each.
/// </summary>
public sealed record EvaluationCount(long Forward, long Backward)
{
    public double ForwardPerStep(int steps) => steps == 0 ? 0 : (double)Forward / steps;
}
