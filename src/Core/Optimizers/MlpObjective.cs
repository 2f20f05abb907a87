using Harness.Core.Models;
using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>f's full-batch training loss on a task batch's training rows.</summary>
public sealed class MlpObjective(FunctionalMlp f, Tensor x, Tensor y) : IObjective
{
    public Tensor Loss(Tensor theta) => f.Loss(theta, x, y);
    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta) => f.LossAndGradient(theta, x, y);
}
