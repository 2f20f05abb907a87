using Harness.Core.Models;
using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// f's full-batch training loss on a task batch's training rows. An evaluation asked of some problems only (a line
/// search's trials, a guard's fallback) computes those problems alone, so a problem's cost and time do not depend on
/// what the others still need; the problems not asked read NaN.
/// </summary>
public sealed class MlpObjective(FunctionalMlp f, Tensor x, Tensor y) : IObjective
{
    public Tensor Loss(Tensor theta) => f.Loss(theta, x, y);
    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => f.LossAndGradient(theta, x, y);

    public Tensor Loss(Tensor theta, Tensor asked)
    {
        var rows = AskedRows(asked, out bool all);
        if (all) return Loss(theta);
        var loss = full(theta.shape[0], float.NaN, dtype: theta.dtype, device: theta.device);
        if (rows.numel() == 0) return loss;
        return loss.index_copy(0, rows, f.Loss(theta.index_select(0, rows), x.index_select(0, rows), y.index_select(0, rows)));
    }

    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta, Tensor asked)
    {
        var rows = AskedRows(asked, out bool all);
        if (all) return LossAndGradient(theta);
        var loss = full(theta.shape[0], float.NaN, dtype: theta.dtype, device: theta.device);
        var gradient = full_like(theta, float.NaN);
        if (rows.numel() == 0) return (loss, gradient);
        var (someLoss, someGradient) = f.LossAndGradient(theta.detach().index_select(0, rows), x.index_select(0, rows), y.index_select(0, rows));
        return (loss.index_copy(0, rows, someLoss.detach()), gradient.index_copy(0, rows, someGradient));
    }

    /// <summary>The indices of the problems marked in <paramref name="asked"/> [B, 1]; <paramref name="all"/> when every one is.</summary>
    private static Tensor AskedRows(Tensor asked, out bool all)
    {
        var flags = asked.reshape(-1).cpu().data<bool>().ToArray();
        all = flags.All(a => a);
        var rows = Enumerable.Range(0, flags.Length).Where(p => flags[p]).Select(p => (long)p).ToArray();
        return tensor(rows, dtype: ScalarType.Int64, device: asked.device);
    }

    public Tensor ParticleLoss(Tensor particles)
    {
        using var _ = no_grad();
        long batch = particles.shape[0], swarm = particles.shape[1];
        // Each problem's data repeated for its particles: [B·S, N, 2] and [B·S, N].
        var xs = x.repeat_interleave(swarm, 0);
        var ys = y.repeat_interleave(swarm, 0);
        return f.Loss(particles.reshape(batch * swarm, particles.shape[2]), xs, ys).view(batch, swarm);
    }
}
