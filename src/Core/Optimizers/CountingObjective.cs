using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// An objective that counts what an optimizer asks of it: forward passes (a loss, or one per particle) and backward
/// passes (a loss with its gradient). Each count is per problem: one batched call over B problems counts once.
/// </summary>
public sealed class CountingObjective(IObjective inner) : IObjective
{
    public long Forward { get; private set; }
    public long Backward { get; private set; }

    public Tensor Loss(Tensor theta)
    {
        Forward++;
        return inner.Loss(theta);
    }

    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta)
    {
        Forward++;
        Backward++;
        return inner.LossAndGradient(theta);
    }

    public Tensor ParticleLoss(Tensor particles)
    {
        Forward += particles.shape[1];
        return inner.ParticleLoss(particles);
    }
}
