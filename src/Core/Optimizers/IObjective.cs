using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>f's training loss over a batch of problems, as optimizers see it: loss [B] and gradient [B, P] at θ.</summary>
public interface IObjective
{
    Tensor Loss(Tensor theta);
    (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta);

    /// <summary>Loss [B, S] of S candidate parameter vectors per problem, particles [B, S, P] (derivative-free methods).</summary>
    Tensor ParticleLoss(Tensor particles);
}
