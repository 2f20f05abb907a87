using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>Plain gradient descent: θ ← θ − lr·∇.</summary>
public sealed class Sgd(Tensor learningRate) : IFlatOptimizer
{
    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective) =>
        theta.detach().sub(gradient.mul(learningRate));

    public void Dispose() { }
}
