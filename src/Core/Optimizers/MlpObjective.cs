using Harness.Core.Models;
using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>f's full-batch training loss on a task batch's training rows.</summary>
public sealed class MlpObjective(FunctionalMlp f, Tensor x, Tensor y) : IObjective
{
    public Tensor Loss(Tensor theta) => f.Loss(theta, x, y);
    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => f.LossAndGradient(theta, x, y);

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
