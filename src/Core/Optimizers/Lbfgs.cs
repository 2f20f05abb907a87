using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// Full-batch L-BFGS (quasi-Newton; the study's Newton question), batched over problems: the two-loop recursion with
/// the last m curvature pairs, H₀ = γI with γ = sᵀy / yᵀy, and a fixed step length lr (tuned like every other rate)
/// instead of a line search, so that every step costs one gradient, like the other optimizers. A pair with sᵀy ≤ 1e-10
/// (no positive curvature) is not stored for that problem (its entries are zeroed so it drops out of the recursion).
/// </summary>
public sealed class Lbfgs : IFlatOptimizer
{
    private readonly Tensor _lr;
    private readonly int _memory;
    private readonly List<(Tensor S, Tensor Y, Tensor Rho)> _pairs = [];
    private Tensor? _previousTheta, _previousGradient;

    public Lbfgs(Tensor learningRate, int memory = 10)
    {
        _lr = learningRate;
        _memory = memory;
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        var current = theta.detach();
        if (_previousTheta is not null && _previousGradient is not null)
        {
            var s = current.sub(_previousTheta);
            var y = gradient.sub(_previousGradient);
            var sy = s.mul(y).sum(1, keepdim: true);
            var keep = sy.gt(1e-10);
            var rho = where(keep, sy.clamp_min(1e-10).reciprocal(), zeros_like(sy));
            _pairs.Add((where(keep, s, zeros_like(s)).MoveToOuterDisposeScope(),
                        where(keep, y, zeros_like(y)).MoveToOuterDisposeScope(), rho.MoveToOuterDisposeScope()));
            if (_pairs.Count > _memory)
            {
                var (os, oy, or) = _pairs[0];
                os.Dispose(); oy.Dispose(); or.Dispose();
                _pairs.RemoveAt(0);
            }
        }
        var q = gradient.clone();
        var alphas = new Tensor[_pairs.Count];
        for (int i = _pairs.Count - 1; i >= 0; i--)
        {
            var (s, y, rho) = _pairs[i];
            alphas[i] = rho.mul(s.mul(q).sum(1, keepdim: true));
            q = q.sub(y.mul(alphas[i]));
        }
        if (_pairs.Count > 0)
        {
            var (s, y, _) = _pairs[^1];
            var yy = y.mul(y).sum(1, keepdim: true);
            var gamma = where(yy.gt(0), s.mul(y).sum(1, keepdim: true).div(yy.clamp_min(1e-30)), ones_like(yy));
            q = q.mul(gamma);
        }
        for (int i = 0; i < _pairs.Count; i++)
        {
            var (s, y, rho) = _pairs[i];
            var beta = rho.mul(y.mul(q).sum(1, keepdim: true));
            q = q.add(s.mul(alphas[i].sub(beta)));
        }
        _previousTheta?.Dispose();
        _previousGradient?.Dispose();
        _previousTheta = current.clone().MoveToOuterDisposeScope();
        _previousGradient = gradient.detach().clone().MoveToOuterDisposeScope();
        return current.sub(q.mul(_lr));
    }

    public void Dispose()
    {
        foreach (var (s, y, rho) in _pairs) { s.Dispose(); y.Dispose(); rho.Dispose(); }
        _previousTheta?.Dispose();
        _previousGradient?.Dispose();
    }
}
