using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// An objective that counts, per problem, what an optimizer asks of it: forward passes of f (a loss, or one per
/// particle) and backward passes (a gradient, which comes with its forward pass). A batched call charges every problem
/// it was asked for, or only those marked in its `asked` mask; problems marked exempt (frozen at their budget, or
/// diverged) are never charged.
/// </summary>
public sealed class CountingObjective : IObjective
{
    private readonly IObjective _inner;
    private readonly bool[] _exempt;

    public CountingObjective(IObjective inner, int problems, bool[]? exempt = null)
    {
        _inner = inner;
        _exempt = exempt ?? new bool[problems];
        Forward = new long[problems];
        Backward = new long[problems];
    }

    /// <summary>Forward passes of f per problem.</summary>
    public long[] Forward { get; }

    /// <summary>Backward passes of f per problem.</summary>
    public long[] Backward { get; }

    public Tensor Loss(Tensor theta)
    {
        Charge(null, 1, false);
        return _inner.Loss(theta);
    }

    public Tensor Loss(Tensor theta, Tensor asked)
    {
        Charge(asked, 1, false);
        return _inner.Loss(theta, asked);
    }

    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta)
    {
        Charge(null, 1, true);
        return _inner.LossAndGradient(theta);
    }

    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta, Tensor asked)
    {
        Charge(asked, 1, true);
        return _inner.LossAndGradient(theta, asked);
    }

    public Tensor ParticleLoss(Tensor particles)
    {
        Charge(null, particles.shape[1], false);
        return _inner.ParticleLoss(particles);
    }

    private void Charge(Tensor? asked, long passes, bool backward)
    {
        var flags = asked?.reshape(-1).cpu().data<bool>().ToArray();
        for (int p = 0; p < Forward.Length; p++)
        {
            if (_exempt[p] || (flags is not null && !flags[p])) continue;
            Forward[p] += passes;
            if (backward) Backward[p]++;
        }
    }
}
