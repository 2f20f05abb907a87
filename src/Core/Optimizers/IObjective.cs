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
    /// The loss where only the problems marked in <paramref name="asked"/> [B, 1] (bool) need it: a cost count charges
    /// only the problems that asked (one problem trained on its own would evaluate f only there). The values of the
    /// others are unspecified (this default computes them all; f's objective computes only the asked and gives the
    /// others NaN): a caller reads only what it asked for.
    /// </summary>
    Tensor Loss(Tensor theta, Tensor asked) => Loss(theta);

    /// <summary>The loss and gradient where only the problems marked in <paramref name="asked"/> [B, 1] need them.</summary>
    (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta, Tensor asked) => LossAndGradient(theta);
}
