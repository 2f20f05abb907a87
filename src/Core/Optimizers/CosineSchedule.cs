namespace Harness.Core.Optimizers;

/// <summary>
/// A learning-rate schedule over a run of T steps: linear warmup over the first W steps (step t, from 0, uses
/// (t + 1) / W), then cosine decay from 1 to 0 at step T: ½ (1 + cos(π (t − W) / (T − W))). W = round(warmup · T).
/// The schedule a tuned baseline is expected to have (learned_optimization's and most papers' Adam baselines).
/// </summary>
public sealed record CosineSchedule(int Length, double WarmupFraction = 0.05)
{
    public int WarmupSteps => (int)Math.Round(WarmupFraction * Length);

    /// <summary>The multiplier of the base rate at step t (0-based); 0 from step T on.</summary>
    public double Multiplier(int step)
    {
        int warmup = WarmupSteps;
        if (step >= Length) return 0;
        if (step < warmup) return (step + 1.0) / warmup;
        return 0.5 * (1 + Math.Cos(Math.PI * (step - warmup) / (Length - warmup)));
    }
}
