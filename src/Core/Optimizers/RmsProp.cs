using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>RMSprop with PyTorch's defaults (α = 0.99, ε = 1e-8): θ ← θ − lr·∇/(√s + ε).</summary>
public sealed class RmsProp : IFlatOptimizer
{
    private readonly Tensor _lr;
    private Tensor _square;

    public RmsProp(Tensor learningRate, int batch, int parameters, Device device)
    {
        _lr = learningRate;
        _square = zeros(batch, parameters, device: device);
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        OptimizerState.Replace(ref _square, _square.mul(0.99).addcmul(gradient, gradient, value: 0.01));
        return theta.detach().sub(gradient.div(_square.sqrt().add(1e-8)).mul(_lr));
    }

    public void Dispose() => _square.Dispose();
}
