using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// Adam whose step never raises the training loss: where it would, θ stays and the step is halved until one passes
/// (<see cref="BacktrackingGuard"/>). The control for g's Adam-fallback guard at tolerance 0: how much of a guarded g's
/// lead over Adam the guard alone buys. Costs one forward pass of f per step.
/// </summary>
public sealed class GuardedAdam : IFlatOptimizer
{
    private readonly Adam _adam;
    private readonly BacktrackingGuard _guard;

    public GuardedAdam(Tensor learningRate, int batch, int parameters, Device device)
    {
        _adam = new Adam(learningRate, batch, parameters, device);
        _guard = new BacktrackingGuard(batch, device);
    }

    public Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective)
    {
        using var _ = no_grad();
        var current = theta.detach();
        var step = _adam.Advance(gradient).neg();
        var everyProblem = ones(current.shape[0], 1, dtype: ScalarType.Bool, device: current.device);
        return _guard.Step(current, step, loss.detach(), objective, everyProblem);
    }

    public void Dispose()
    {
        _adam.Dispose();
        _guard.Dispose();
    }
}
