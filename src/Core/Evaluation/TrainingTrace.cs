namespace Harness.Core.Evaluation;

/// <summary>
/// What happened while one optimizer trained B problems for T steps: the training loss of each problem at every
/// step (index 0 = before the first step), test logits at the chosen evaluation steps, and which problems diverged
/// (NaN or infinite loss or step; their θ is frozen at the last finite value and they are reported as diverged),
/// and each problem's final θ (for decision regions). For an optimizer with a fallback (g's guard), which steps of
/// each problem were the fallback step: FellBack[p][s] is the step from s to s + 1. What the optimizer itself spent
/// up to each step: forward and backward passes of f per problem, and the batched run's own seconds. Under a cost
/// budget, Reads holds where each problem was read for each horizon in that budget's unit; the step-matched view
/// (a horizon is its own step) is there too as long as the run lasted that many steps.
/// </summary>
public sealed record TrainingTrace(
    float[][] TrainLoss,
    IReadOnlyDictionary<int, float[][]> TestLogits,
    bool[] Diverged,
    int[] DivergedAtStep,
    double WallSeconds,
    float[][] FinalTheta,
    bool[][]? FellBack = null,
    long[][]? ForwardSpent = null,
    long[][]? BackwardSpent = null,
    double[]? SecondsSpent = null,
    Budget Budget = Budget.Steps,
    IReadOnlyDictionary<int, BudgetRead>? Reads = null)
{
    public int Problems => TrainLoss.Length;
    public int Steps => TrainLoss[0].Length - 1;

    public float FinalTrainLoss(int problem) => TrainLoss[problem][^1];

    /// <summary>
    /// Whether a problem had diverged by a step: its loss or step went non-finite at or before it. A diverged problem
    /// is left out of means and bands from that step on and loses every paired comparison (its loss counts as +∞).
    /// </summary>
    public bool DivergedBy(int problem, int step) => Diverged[problem] && DivergedAtStep[problem] <= step;

    /// <summary>The view a reading takes by default: the run's cost budget where it has one, else steps.</summary>
    public Budget DefaultView => Reads is null ? Budget.Steps : Budget;

    private bool StepView(Budget? view) => (view ?? DefaultView) == Budget.Steps;

    /// <summary>
    /// The step at which a problem is read for a horizon: in the step view the horizon itself, in the cost view the last
    /// step it could afford.
    /// </summary>
    public int ReadStep(int problem, int horizon, Budget? view = null) => StepView(view) ? horizon : Reads![horizon].Step[problem];

    /// <summary>A problem's training loss where it is read for a horizon.</summary>
    public float LossAt(int problem, int horizon, Budget? view = null) => TrainLoss[problem][ReadStep(problem, horizon, view)];

    /// <summary>A problem's test logits where it is read for a horizon.</summary>
    public float[] LogitsAt(int problem, int horizon, Budget? view = null) =>
        StepView(view) ? TestLogits[horizon][problem] : Reads![horizon].Logits[problem];

    /// <summary>Whether a problem had diverged by the step it is read at for a horizon.</summary>
    public bool DivergedAt(int problem, int horizon, Budget? view = null) => DivergedBy(problem, ReadStep(problem, horizon, view));

    /// <summary>The share of a problem's steps up to its reading for a horizon that were the fallback step; null without a fallback.</summary>
    public double? FallbackShare(int problem, int horizon, Budget? view = null)
    {
        int steps = ReadStep(problem, horizon, view);
        return FellBack is null || steps == 0 ? null : (double)FellBack[problem].Take(steps).Count(f => f) / steps;
    }

    /// <summary>What a problem's optimizer spent on its first <paramref name="step"/> steps (zero where nothing was counted).</summary>
    public EvaluationCount SpentBy(int problem, int step) => new(ForwardSpent?[problem][step] ?? 0, BackwardSpent?[problem][step] ?? 0,
        SecondsSpent is null ? 0 : SecondsSpent[step] / Problems);

    /// <summary>A problem's spending up to a step in a budget's unit: steps, forward passes, or milliseconds of its share.</summary>
    public double CostAt(int problem, int step, Budget unit) => unit switch
    {
        Budget.Steps => step,
        Budget.Evaluations => ForwardSpent?[problem][step] ?? step,
        _ => (SecondsSpent?[step] ?? 0) * 1000 / Problems,
    };
}

/// <summary>
/// What an optimizer spent on one problem: forward passes of f (losses, including each gradient's), backward passes
/// (gradients), and seconds (its share of the batched run's own time). A full-batch first-order step costs one
/// forward and one backward pass.
/// </summary>
public sealed record EvaluationCount(long Forward, long Backward, double Seconds = 0)
{
    public double ForwardPerStep(int steps) => steps == 0 ? 0 : (double)Forward / steps;
}
