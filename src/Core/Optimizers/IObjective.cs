using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>f's training loss over a batch of problems, as optimizers see it: loss [B] and gradient [B, P] at θ.</summary>
public interface IObjective
{
    Tensor Loss(Tensor theta);
    (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta);

    /// <summary>Loss [B, S] of S candidate parameter vectors per problem, particles [B, S, P] (derivative-free methods).</summary>
    Tensor ParticleLoss(Tensor particles);

    /// <summary>
    /// The loss where only the problems marked in <paramref name="asked"/> [B, 1] (bool) need it: the batch computes
    /// every problem's value together, but a cost count charges only the problems that asked (one problem trained on
    /// its own would evaluate f only there).
    /// </summary>
    Tensor Loss(Tensor theta, Tensor asked) => Loss(theta);

    /// <summary>The loss and gradient where only the problems marked in <paramref name="asked"/> [B, 1] need them.</summary>
    (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta, Tensor asked) => LossAndGradient(theta);
}
