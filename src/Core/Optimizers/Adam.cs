using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015) over flat θ; AdamW when weight decay is decoupled (scaled by the scheduled rate, as in
/// PyTorch). Learning rate and β₁, β₂ may differ per problem ([B, 1] tensors, for a tuning grid); an optional schedule
/// multiplies the rate at each step.
/// </summary>
public sealed class Adam : IFlatOptimizer
{
    private readonly Tensor _lr;
    private readonly Tensor? _beta1Grid, _beta2Grid;
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;
    private readonly CosineSchedule? _schedule;
    private Tensor _m, _v;
    private int _t;

    public Adam(Tensor learningRate, int batch, int parameters, Device device,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0,
        CosineSchedule? schedule = null, Tensor? beta1PerProblem = null, Tensor? beta2PerProblem = null)
    {
        _lr = learningRate;
        _beta1 = beta1; _beta2 = beta2; _epsilon = epsilon; _weightDecay = weightDecay;
        _schedule = schedule;
        _beta1Grid = beta1PerProblem;
        _beta2Grid = beta2PerProblem;
        _m = zeros(batch, parameters, device: device);
        _v = zeros(batch, parameters, device: device);
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        var lr = Rate();
        var step = Advance(gradient, lr);
        var next = theta.detach();
        if (_weightDecay > 0) next = next.mul(lr.mul(-_weightDecay).add(1));
        return next.sub(step);
    }

    /// <summary>The rate of the coming step: the base rate, times the schedule's multiplier where there is one.</summary>
    private Tensor Rate() => _schedule is null ? _lr : _lr.mul(_schedule.Multiplier(_t));

    /// <summary>Updates the moments with the gradient and returns lr · m̂ / (√v̂ + ε), the amount Step subtracts from θ.</summary>
    internal Tensor Advance(Tensor gradient) => Advance(gradient, Rate());

    private Tensor Advance(Tensor gradient, Tensor lr)
    {
        _t++;
        if (_beta1Grid is null || _beta2Grid is null)
        {
            OptimizerState.Replace(ref _m, _m.mul(_beta1).add_(gradient, alpha: 1 - _beta1));
            OptimizerState.Replace(ref _v, _v.mul(_beta2).addcmul_(gradient, gradient, value: 1 - _beta2));
            return Direction(_m, _v, _t, _beta1, _beta2, _epsilon).mul(lr);
        }
        // Per-problem β: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², bias corrections 1 − βᵗ per problem.
        OptimizerState.Replace(ref _m, _m.mul(_beta1Grid).add_(gradient.mul(_beta1Grid.neg().add(1))));
        OptimizerState.Replace(ref _v, _v.mul(_beta2Grid).add_(gradient.square().mul(_beta2Grid.neg().add(1))));
        var c1 = _beta1Grid.pow(_t).neg().add(1);
        var c2 = _beta2Grid.pow(_t).neg().add(1);
        return _m.div(c1).div(_v.div(c2).sqrt().add(_epsilon)).mul(lr);
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
