using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>Heavy-ball momentum (PyTorch's form v ← μv + ∇, θ ← θ − lr·v), or Nesterov's (θ ← θ − lr·(∇ + μv)).</summary>
public sealed class Momentum : IFlatOptimizer
{
    private readonly Tensor _lr;
    private readonly double _mu;
    private readonly bool _nesterov;
    private Tensor _velocity;

    public Momentum(Tensor learningRate, int batch, int parameters, Device device, double mu = 0.9, bool nesterov = false)
    {
        _lr = learningRate;
        _mu = mu;
        _nesterov = nesterov;
        _velocity = zeros(batch, parameters, device: device);
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        OptimizerState.Replace(ref _velocity, _velocity.mul(_mu).add(gradient));
        var direction = _nesterov ? gradient.add(_velocity, alpha: _mu) : _velocity;
        return theta.detach().sub(direction.mul(_lr));
    }

    public void Dispose() => _velocity.Dispose();
}
