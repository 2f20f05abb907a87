using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>One point of a baseline's hyperparameter grid: the learning rate, and Adam's β₁, β₂ (tuned only by `adam-betas`).</summary>
public sealed record BaselineConfig(double Rate, double Beta1 = 0.9, double Beta2 = 0.999)
{
    public static IReadOnlyList<BaselineConfig> Rates(IEnumerable<double> rates) => rates.Select(r => new BaselineConfig(r)).ToList();
}

/// <summary>
/// The classic optimizers a comparison can name, each with its hyperparameters per problem (a grid runs batched).
/// `adam-cosine` and `adamw-cosine` follow a <see cref="CosineSchedule"/> over the run's length (so each horizon is
/// its own run); `adam-betas` is Adam with β₁, β₂ tuned too; `lbfgs-wolfe` has a line search and no rate to tune.
/// </summary>
public static class BaselineOptimizers
{
    public static readonly IReadOnlyList<string> Names =
    [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "guarded-adam", "lbfgs", "pso",
        "adam-cosine", "adamw-cosine", "adam-betas", "lbfgs-wolfe",
    ];

    /// <summary>The β grid `adam-betas` searches: β₁ ∈ {0.8, 0.9, 0.95} × β₂ ∈ {0.99, 0.999}.</summary>
    public static readonly IReadOnlyList<(double Beta1, double Beta2)> BetaGrid = [(0.8, 0.99), (0.8, 0.999), (0.9, 0.99), (0.9, 0.999), (0.95, 0.99), (0.95, 0.999)];

    /// <summary>Quarter-decade steps from 1e-4 to 1 (17 rates): the default grid.</summary>
    public static double[] DefaultGrid() => Enumerable.Range(0, 17).Select(i => Math.Pow(10, -4 + i / 4.0)).ToArray();

    /// <summary>Whether the optimizer follows a schedule over the run's length (each horizon is then a run of its own).</summary>
    public static bool IsScheduled(string name) => name.EndsWith("-cosine", StringComparison.Ordinal);

    /// <summary>Whether the optimizer has no rate to tune (its step length comes from a line search).</summary>
    public static bool IsUntuned(string name) => name == "lbfgs-wolfe";

    /// <summary>
    /// Whether a step searches along its direction, spending a varying number of f evaluations: such an optimizer is
    /// compared at matched evaluations only (a step of it is not a step of a first-order method).
    /// </summary>
    public static bool SearchesLines(string name) => name == "lbfgs-wolfe";

    public static IFlatOptimizerFactory Create(string name, IReadOnlyList<double> learningRates, int? scheduleLength = null) =>
        Create(name, BaselineConfig.Rates(learningRates), scheduleLength);

    /// <param name="scheduleLength">The run's length in steps, for scheduled optimizers (required by them).</param>
    public static IFlatOptimizerFactory Create(string name, IReadOnlyList<BaselineConfig> configs, int? scheduleLength = null)
    {
        if (!Names.Contains(name)) throw new UserInputException($"unknown baseline optimizer '{name}': use {string.Join(", ", Names)}");
        if (IsScheduled(name) && scheduleLength is null) throw new ArgumentException($"{name} needs the run's length", nameof(scheduleLength));
        return new Factory(name, configs, scheduleLength);
    }

    private sealed record Factory(string Name, IReadOnlyList<BaselineConfig> Configs, int? ScheduleLength) : IFlatOptimizerFactory
    {
        public IFlatOptimizer Create(int batch, int parameters, Device device)
        {
            var lr = OptimizerState.PerProblem(Configs.Select(c => c.Rate).ToList(), batch, device);
            var schedule = ScheduleLength is { } length && IsScheduled(Name) ? new CosineSchedule(length) : null;
            return Name switch
            {
                "sgd" => new Sgd(lr),
                "momentum" => new Momentum(lr, batch, parameters, device),
                "nesterov" => new Momentum(lr, batch, parameters, device, nesterov: true),
                "adagrad" => new AdaGrad(lr, batch, parameters, device),
                "rmsprop" => new RmsProp(lr, batch, parameters, device),
                "adam" => new Adam(lr, batch, parameters, device),
                "adamw" => new Adam(lr, batch, parameters, device, weightDecay: 0.01),
                "adam-cosine" => new Adam(lr, batch, parameters, device, schedule: schedule),
                "adamw-cosine" => new Adam(lr, batch, parameters, device, weightDecay: 0.01, schedule: schedule),
                "adam-betas" => new Adam(lr, batch, parameters, device,
                    beta1PerProblem: OptimizerState.PerProblem(Configs.Select(c => c.Beta1).ToList(), batch, device),
                    beta2PerProblem: OptimizerState.PerProblem(Configs.Select(c => c.Beta2).ToList(), batch, device)),
                "guarded-adam" => new GuardedAdam(lr, batch, parameters, device),
                "lbfgs" => new Lbfgs(lr),
                "lbfgs-wolfe" => new Lbfgs(lr, lineSearch: true),
                "pso" => new ParticleSwarm(lr),
                _ => throw new InvalidOperationException(Name),
            };
        }
    }
}
