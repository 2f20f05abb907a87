using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>The classic optimizers a comparison can name, each with a learning rate per problem (a rate grid runs batched).</summary>
public static class BaselineOptimizers
{
    public static readonly IReadOnlyList<string> Names = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "guarded-adam", "lbfgs", "pso"];

    /// <summary>Quarter-decade steps from 1e-4 to 1 (17 rates): the default grid.</summary>
    public static double[] DefaultGrid() => Enumerable.Range(0, 17).Select(i => Math.Pow(10, -4 + i / 4.0)).ToArray();

    public static IFlatOptimizerFactory Create(string name, IReadOnlyList<double> learningRates) =>
        Names.Contains(name)
            ? new Factory(name, learningRates)
            : throw new UserInputException($"unknown baseline optimizer '{name}': use {string.Join(", ", Names)}");

    private sealed record Factory(string Name, IReadOnlyList<double> LearningRates) : IFlatOptimizerFactory
    {
        public IFlatOptimizer Create(int batch, int parameters, Device device)
        {
            var lr = OptimizerState.PerProblem(LearningRates, batch, device);
            return Name switch
            {
                "sgd" => new Sgd(lr),
                "momentum" => new Momentum(lr, batch, parameters, device),
                "nesterov" => new Momentum(lr, batch, parameters, device, nesterov: true),
                "adagrad" => new AdaGrad(lr, batch, parameters, device),
                "rmsprop" => new RmsProp(lr, batch, parameters, device),
                "adam" => new Adam(lr, batch, parameters, device),
                "adamw" => new Adam(lr, batch, parameters, device, weightDecay: 0.01),
                "guarded-adam" => new GuardedAdam(lr, batch, parameters, device),
                "lbfgs" => new Lbfgs(lr),
                "pso" => new ParticleSwarm(lr),
                _ => throw new InvalidOperationException(Name),
            };
        }
    }
}
