using Harness.Core.Configuration;
using Harness.Core.Learned;
using Harness.Core.Models;

namespace Harness.Core.Meta;

/// <summary>
/// Settings of the `meta-train` experiment kind: g's architecture and the outer and inner loops. `tasks` declares a
/// mixture of task sources (task augmentation): each an input split with a weight and an f (default: `f`); left
/// out, the one input split is the only source.
/// </summary>
public sealed record MetaTrainSettings(
    LearnedOptimizerSettings Optimizer,
    MlpArchitecture? F = null,
    int Epochs = 5,
    int Horizon = 100,
    int Truncation = 20,
    int TasksPerStep = 5,
    double MetaLearningRate = 1e-3,
    double GradientClip = 1.0,
    MetaLoss MetaLoss = MetaLoss.Sum,
    bool SecondOrder = false,
    int ValidationTasks = 10,
    int ValidationHorizonFactor = 4,
    double AbortLossFactor = 0,
    int[]? HorizonSchedule = null,
    KeepBestBy KeepBestBy = KeepBestBy.Horizon,
    MetaLossRows MetaLossRows = MetaLossRows.Train,
    TaskMixtureEntry[]? Tasks = null) : IValidatableSettings
{
    public MlpArchitecture ResolvedF => F ?? MlpArchitecture.Study;

    /// <summary>The validation score of an epoch (lower is better; not finite counts as +∞).</summary>
    public double ValidationScore(ValidationResult validation)
    {
        var (atHorizon, atLongHorizon, meanLogRatio, _) = validation;
        double score = KeepBestBy switch
        {
            KeepBestBy.BothHorizons => Math.Sqrt(atHorizon * atLongHorizon),
            KeepBestBy.MeanOfHorizons => (atHorizon + atLongHorizon) / 2,
            KeepBestBy.MeanLogRatio => meanLogRatio,
            _ => atHorizon,
        };
        return double.IsFinite(score) ? score : double.PositiveInfinity;
    }

    /// <summary>The unroll horizon of an epoch (0-based): the schedule's entry, its last entry once it runs out, or Horizon.</summary>
    public int HorizonOfEpoch(int epoch) =>
        HorizonSchedule is { Length: > 0 } schedule ? schedule[Math.Min(epoch, schedule.Length - 1)] : Horizon;

    /// <summary>The largest horizon (validation runs k·T steps and keeps every step's loss), truncation (its autograd
    /// graph holds every step of f and g) and epoch count accepted.</summary>
    public const int MaxHorizon = 1_000_000, MaxTruncation = 10_000, MaxEpochs = 10_000;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Epochs < 1 || Epochs > MaxEpochs) yield return ("epochs", $"must lie in 1..{MaxEpochs:N0} (got {Epochs:N0})");
        if (Horizon < 1 || Horizon > MaxHorizon) yield return ("horizon", $"must lie in 1..{MaxHorizon:N0} (got {Horizon:N0})");
        if (Truncation < 1 || Truncation > Horizon) yield return ("truncation", $"must lie in 1..horizon ({Horizon})");
        else if (Truncation > MaxTruncation)
            yield return ("truncation", $"must be at most {MaxTruncation:N0} (got {Truncation:N0}): its autograd graph holds every step");
        if ((long)Horizon * ValidationHorizonFactor > MaxHorizon && Horizon <= MaxHorizon && ValidationHorizonFactor >= 1)
            yield return ("validation_horizon_factor", $"horizon × validation_horizon_factor must be at most {MaxHorizon:N0} (got {(long)Horizon * ValidationHorizonFactor:N0})");
        if (TasksPerStep < 1) yield return ("tasks_per_step", "must be ≥ 1");
        if (!(MetaLearningRate > 0)) yield return ("meta_learning_rate", "must be > 0");
        if (!(GradientClip > 0)) yield return ("gradient_clip", "must be > 0");
        if (ValidationTasks < 0) yield return ("validation_tasks", "must be ≥ 0");
        if (ValidationHorizonFactor < 1) yield return ("validation_horizon_factor", "must be ≥ 1");
        if (AbortLossFactor < 0) yield return ("abort_loss_factor", "must be ≥ 0 (0: unrolls never stop early)");
        if (Tasks is { } mixture)
        {
            if (mixture.Length == 0) yield return ("tasks", "list at least one { input, weight } entry, or leave tasks out");
            for (int i = 0; i < mixture.Length; i++)
            {
                if (!(mixture[i].Weight > 0 && double.IsFinite(mixture[i].Weight)))
                    yield return ($"tasks[{i}].weight", $"must be a finite number > 0 (got {mixture[i].Weight})");
                foreach (var (key, message) in mixture[i].F?.Validate() ?? []) yield return ($"tasks[{i}].f.{key}", message);
            }
        }
        if (HorizonSchedule is { } schedule)
        {
            if (schedule.Length == 0) yield return ("horizon_schedule", "must list at least one horizon, or be left out");
            for (int i = 0; i < schedule.Length; i++)
                if (schedule[i] < Truncation) yield return ($"horizon_schedule[{i}]", $"must be ≥ truncation ({Truncation}), got {schedule[i]}");
                else if (schedule[i] > MaxHorizon) yield return ($"horizon_schedule[{i}]", $"must be at most {MaxHorizon:N0}, got {schedule[i]:N0}");
        }
    }
}
