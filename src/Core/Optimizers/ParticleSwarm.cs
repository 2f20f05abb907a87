using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// Particle swarm optimisation (derivative-free; the study's question on non-differentiable losses), batched over
/// problems: S particles per problem with the standard constriction coefficients (inertia 0.7298, c1 = c2 = 1.49618).
/// It never reads the gradient. The tuned "learning rate" is the initial spread of the swarm around θ₀ (particle 0
/// starts at θ₀ itself). Each step evaluates the loss of every particle; the returned θ is the swarm's best position.
/// Random draws come from its own seeded libtorch generator, so runs are reproducible.
/// </summary>
public sealed class ParticleSwarm : IFlatOptimizer
{
    private const double Inertia = 0.7298, Cognitive = 1.49618, Social = 1.49618;

    private readonly Tensor _spread;
    private readonly int _particles;
    private readonly Generator _generator;
    private Tensor? _position, _velocity, _personalBest, _personalLoss;

    public ParticleSwarm(Tensor spread, int particles = 8, long seed = 20161)
    {
        _spread = spread;
        _particles = particles;
        _generator = new Generator((ulong)seed);
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        long batch = theta.shape[0], parameters = theta.shape[1];
        if (_position is null)
        {
            var start = theta.detach().unsqueeze(1).expand(batch, _particles, parameters);
            var offsets = randn([batch, _particles, parameters], generator: _generator, device: theta.device)
                .mul(_spread.unsqueeze(1));
            offsets[.., 0] = zeros(batch, parameters, device: theta.device); // particle 0 sits at θ₀
            _position = start.add(offsets).MoveToOuterDisposeScope();
            _velocity = zeros_like(_position).MoveToOuterDisposeScope();
            _personalBest = _position.clone().MoveToOuterDisposeScope();
            _personalLoss = objective.ParticleLoss(_position).MoveToOuterDisposeScope();
        }
        var best = GlobalBest();
        var r1 = rand([batch, _particles, parameters], generator: _generator, device: theta.device);
        var r2 = rand([batch, _particles, parameters], generator: _generator, device: theta.device);
        var velocity = _velocity!.mul(Inertia)
            .add(r1.mul(_personalBest!.sub(_position)).mul(Cognitive))
            .add(r2.mul(best.unsqueeze(1).sub(_position)).mul(Social));
        var position = _position.add(velocity);
        var positionLoss = objective.ParticleLoss(position);
        var improved = positionLoss.lt(_personalLoss!); // NaN never improves
        var personalBest = where(improved.unsqueeze(2), position, _personalBest);
        var personalLoss = where(improved, positionLoss, _personalLoss!);
        OptimizerState.Replace(ref _velocity!, velocity);
        OptimizerState.Replace(ref _position!, position);
        OptimizerState.Replace(ref _personalBest!, personalBest);
        OptimizerState.Replace(ref _personalLoss!, personalLoss);
        return GlobalBest();
    }

    private Tensor GlobalBest()
    {
        var index = _personalLoss!.nan_to_num(float.PositiveInfinity).argmin(1); // [B]
        return _personalBest!.gather(1, index.view(-1, 1, 1).expand(-1, 1, _personalBest.shape[2])).squeeze(1);
    }

    public void Dispose()
    {
        _position?.Dispose();
        _velocity?.Dispose();
        _personalBest?.Dispose();
        _personalLoss?.Dispose();
        _generator.Dispose();
    }
}
