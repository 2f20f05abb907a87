using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// Full-batch L-BFGS (quasi-Newton; the study's Newton question), batched over problems: the two-loop recursion with
/// the last m curvature pairs, H₀ = γI with γ = sᵀy / yᵀy. A pair with sᵀy ≤ 1e-10 (no positive curvature) is not
/// stored for that problem (its entries are zeroed so it drops out of the recursion). The step length is either fixed
/// (lr, tuned like every other rate: one gradient per step, `lbfgs`) or found by a strong-Wolfe line search along the
/// direction (`lbfgs-wolfe`, as PyTorch's `line_search_fn="strong_wolfe"`: first trial α = min(1, 1/‖g‖₁) on the first
/// step, 1 after; every trial is a loss and gradient, counted; the gradient at the point taken is the next step's, so
/// it is not charged twice). Where the direction is not a descent direction, the search uses −g.
/// </summary>
public sealed class Lbfgs : IFlatOptimizer, IPrepaysGradient
{
    private readonly Tensor _lr;
    private readonly int _memory;
    private readonly bool _lineSearch;
    private readonly List<(Tensor S, Tensor Y, Tensor Rho)> _pairs = [];
    private Tensor? _previousTheta, _previousGradient;

    public Lbfgs(Tensor learningRate, int memory = 10, bool lineSearch = false)
    {
        _lr = learningRate;
        _memory = memory;
        _lineSearch = lineSearch;
    }

    public bool NextGradientPrepaid => _lineSearch;

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
        bool first = _previousTheta is null;
        _previousTheta = current.clone().MoveToOuterDisposeScope();
        _previousGradient = gradient.detach().clone().MoveToOuterDisposeScope();
        return _lineSearch ? Search(current, loss.detach(), gradient.detach(), q.neg(), objective, first) : current.sub(q.mul(_lr));
    }

    /// <summary>θ + α·d with α from the strong-Wolfe search, per problem.</summary>
    private static Tensor Search(Tensor theta, Tensor loss, Tensor gradient, Tensor direction, IObjective objective, bool first)
    {
        var slope = direction.mul(gradient).sum(1, keepdim: true);
        var d = where(slope.ge(0), gradient.neg(), direction);
        var slope0 = d.mul(gradient).sum(1).cpu().data<float>().Select(v => (double)v).ToArray();
        var phi0 = loss.cpu().data<float>().Select(v => (double)v).ToArray();
        var initial = first
            ? gradient.abs().sum(1).cpu().data<float>().Select(v => Math.Min(1.0, 1.0 / Math.Max(v, 1e-30))).ToArray()
            : Enumerable.Repeat(1.0, phi0.Length).ToArray();
        var scale = d.abs().amax([1]).cpu().data<float>().Select(v => (double)v).ToArray();
        var device = theta.device;
        var result = StrongWolfeSearch.Search(phi0, slope0, initial, (alphas, active) =>
        {
            using var scope = NewDisposeScope();
            var a = tensor(alphas.Select(x => (float)x).ToArray(), [alphas.Length, 1]).to(device);
            var asked = tensor(active, [active.Length, 1]).to(device);
            var (phi, g) = objective.LossAndGradient(theta.add(d.mul(a)), asked);
            var dphi = g.mul(d).sum(1);
            return (phi.detach().cpu().data<float>().Select(v => (double)v).ToArray(),
                    dphi.detach().cpu().data<float>().Select(v => (double)v).ToArray());
        }, directionScale: scale);
        var step = tensor(result.Alpha.Select(x => (float)x).ToArray(), [result.Alpha.Length, 1]).to(device);
        return theta.add(d.mul(step));
    }

    public void Dispose()
    {
        foreach (var (s, y, rho) in _pairs) { s.Dispose(); y.Dispose(); rho.Dispose(); }
        _previousTheta?.Dispose();
        _previousGradient?.Dispose();
    }
}
