namespace Harness.Core.Evaluation;

/// <summary>
/// What happened while one optimizer trained B problems for T steps: the training loss of each problem at every
/// step (index 0 = before the first step), test logits at the chosen evaluation steps, and which problems diverged
/// (NaN or infinite loss or step; their θ is frozen at the last finite value and they are reported as diverged),
/// and each problem's final θ (for decision regions).
/// </summary>
public sealed record TrainingTrace(
    float[][] TrainLoss,
    IReadOnlyDictionary<int, float[][]> TestLogits,
    bool[] Diverged,
    int[] DivergedAtStep,
    double WallSeconds,
    float[][] FinalTheta)
{
    public int Problems => TrainLoss.Length;
    public int Steps => TrainLoss[0].Length - 1;

    public float FinalTrainLoss(int problem) => TrainLoss[problem][^1];
}
