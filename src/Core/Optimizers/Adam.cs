using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>Adam (Kingma and Ba 2015) over flat θ; AdamW when weight decay is decoupled. Learning rate may differ per problem.</summary>
public sealed class Adam : IFlatOptimizer
{
    private readonly Tensor _lr;
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;
    private Tensor _m, _v;
    private int _t;

    public Adam(Tensor learningRate, int batch, int parameters, Device device,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        _lr = learningRate;
        _beta1 = beta1; _beta2 = beta2; _epsilon = epsilon; _weightDecay = weightDecay;
        _m = zeros(batch, parameters, device: device);
        _v = zeros(batch, parameters, device: device);
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        var step = Advance(gradient);
        var next = theta.detach();
        if (_weightDecay > 0) next = next.mul(_lr.mul(-_weightDecay).add(1));
        return next.sub(step);
    }

    /// <summary>Updates the moments with the gradient and returns lr · m̂ / (√v̂ + ε), the amount Step subtracts from θ.</summary>
    internal Tensor Advance(Tensor gradient)
    {
        _t++;
        OptimizerState.Replace(ref _m, _m.mul(_beta1).add_(gradient, alpha: 1 - _beta1));
        OptimizerState.Replace(ref _v, _v.mul(_beta2).addcmul_(gradient, gradient, value: 1 - _beta2));
        return Direction(_m, _v, _t, _beta1, _beta2, _epsilon).mul(_lr);
    }

    /// <summary>Adam's bias-corrected direction m̂ / (√v̂ + ε) (also an input and the base of g's residual output).</summary>
    public static Tensor Direction(Tensor m, Tensor v, int t, double beta1, double beta2, double epsilon)
    {
        double c1 = 1 - Math.Pow(beta1, t), c2 = 1 - Math.Pow(beta2, t);
        return m.div(c1).div(v.div(c2).sqrt().add(epsilon));
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
    }
}

public sealed record AdamFactory(IReadOnlyList<double> LearningRates, double WeightDecay = 0) : IFlatOptimizerFactory
{
    public string Name => WeightDecay > 0 ? "adamw" : "adam";

    public IFlatOptimizer Create(int batch, int parameters, Device device) =>
        new Adam(OptimizerState.PerProblem(LearningRates, batch, device), batch, parameters, device, weightDecay: WeightDecay);
}
