using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>AdaGrad: a per-coordinate rate lr / √(Σ∇²) (the study's question on per-parameter learning rates).</summary>
public sealed class AdaGrad : IFlatOptimizer
{
    private readonly Tensor _lr;
    private Tensor _sum;

    public AdaGrad(Tensor learningRate, int batch, int parameters, Device device)
    {
        _lr = learningRate;
        _sum = zeros(batch, parameters, device: device);
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        OptimizerState.Replace(ref _sum, _sum.addcmul(gradient, gradient, value: 1));
        return theta.detach().sub(gradient.div(_sum.sqrt().add(1e-10)).mul(_lr));
    }

    public void Dispose() => _sum.Dispose();
}
