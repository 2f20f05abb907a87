using System.Globalization;
using System.Text;
using Harness.Core.Learned;
using Harness.Core.Meta;
using Harness.Core.Models;
using Harness.Core.Specs;
using Harness.Core.Tracking;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Kinds;

/// <summary>`meta-train`: trains g on a split's tasks (see <see cref="MetaTrainer"/>); keeps the best g on held-out tasks.</summary>
public sealed class MetaTrainKind : ExperimentKind<MetaTrainSettings, MetaTrainOutput>
{
    public const string BestCheckpoint = "g-best";
    public const string LastCheckpoint = "g-last";

    public const string KindName = "meta-train";

    public override string Name => KindName;
    public override string Description => "meta-train the GRU optimizer g on a split's tasks";
    public override string InputRole(int index) => "training";

    protected override IEnumerable<string> CheckInputs(MetaTrainSettings settings, IReadOnlyList<InputInfo> inputs)
    {
        if (inputs.Count < 1 || inputs.Any(i => i.Kind != SplitKind.KindName))
        {
            yield return "meta-train takes split experiments as inputs: one (the training tasks), or one per entry of its tasks: mixture";
            yield break;
        }
        if (settings.Tasks is null && inputs.Count > 1)
            yield return $"meta-train has {inputs.Count} inputs but no tasks: mixture: declare tasks: [{{ input: ID, weight: W }}, …] to train on several splits";
        if (settings.Tasks is { } mixture)
        {
            foreach (var entry in mixture.Where(e => inputs.All(i => i.Id != e.Input)))
                yield return $"tasks names '{entry.Input}', which is not among the inputs: add it to inputs";
            foreach (var input in inputs.Where(i => mixture.All(e => e.Input != i.Id)))
                yield return $"input '{input.Id}' is named by no entry of tasks: remove it from inputs or add {{ input: {input.Id} }}";
        }
        if (settings.Tasks is null)
            foreach (var problem in TaskSetF.WidthProblems(new MlpSettings(settings.ResolvedF.Layers), "meta-train", inputs[0])) yield return problem;
        foreach (var entry in settings.Tasks ?? [])
            if (inputs.FirstOrDefault(i => i.Id == entry.Input) is { } source)
                foreach (var problem in TaskSetF.WidthProblems(entry.F, $"tasks entry '{entry.Input}'", source)) yield return problem;
        var primaryId = settings.Tasks?.FirstOrDefault()?.Input ?? inputs[0].Id;
        var primary = inputs.FirstOrDefault(i => i.Id == primaryId) ?? inputs[0];
        var split = (Harness.Core.Data.SplitSettings)primary.Settings!;
        if (split.Subsets - settings.ValidationTasks < 1)
            yield return $"validation_tasks ({settings.ValidationTasks}) leaves no training task out of {split.Subsets} subsets";
    }

    protected override MetaTrainOutput Run(RunContext context, MetaTrainSettings settings, IReadOnlyList<object> inputs)
    {
        var trainer = new MetaTrainer(settings, context.ChildSeed("meta-train"), context.Device);
        var ids = context.InputIds ?? [];
        // Without a mixture, meta-training's f is exactly f; a mixture entry's f defaults to f with the entry's input width.
        var mixture = settings.Tasks ?? [new TaskMixtureEntry(ids.FirstOrDefault() ?? "tasks", F: new MlpSettings(settings.ResolvedF.Layers))];
        var sources = mixture.Select(entry =>
        {
            int at = Math.Max(0, ids.ToList().IndexOf(entry.Input));
            var tasks = ((SplitOutput)inputs[at]).Tasks;
            var f = (entry.F ?? new MlpSettings()).Resolve(settings.ResolvedF, tasks[0].FeatureCount);
            return new MetaTaskSource(entry.Input, tasks, f, entry.Weight);
        }).ToList();
        var result = trainer.Train(sources, context.Progress, new TrackingObserver(context.Tracking), context.Cancellation,
            context.CheckpointDirectory);
        return new MetaTrainOutput(result.Best, result.Last, result.Epochs, result.SkippedUpdates, result.MetaSteps, result.WallSeconds,
            settings.ValidationHorizonFactor);
    }

    protected override MetaTrainOutput Load(string directory, MetaTrainSettings settings)
    {
        var record = ResultFolder.ReadRecord(Path.Combine(directory, ResultFolder.ResultFileName));
        var best = LearnedOptimizerCheckpoint.Load(directory, BestCheckpoint, TorchSharp.torch.CPU);
        var last = LearnedOptimizerCheckpoint.Load(directory, LastCheckpoint, TorchSharp.torch.CPU);
        var summary = ResultFolder.ReadResult<MetaTrainResult>(directory);
        return new MetaTrainOutput(best, last, summary.Epochs, summary.SkippedUpdates, summary.MetaSteps, record.WallSeconds,
            settings.ValidationHorizonFactor);
    }

    /// <summary>Forwards meta-training progress to the run's tracker as stepped metrics.</summary>
    private sealed class TrackingObserver(ITrackedRun run) : IMetaTrainingObserver
    {
        public void OnMetaStep(int globalStep, double metaLoss, bool skipped)
        {
            if (double.IsFinite(metaLoss)) run.LogMetric("meta_loss", metaLoss, globalStep);
            if (skipped) run.LogMetric("skipped_update", 1, globalStep);
        }

        public void OnEpoch(MetaEpochRecord r) => run.LogMetrics([
            ("epoch_meta_loss", r.MeanMetaLoss, r.Epoch),
            ("epoch_train_final_loss", r.TrainFinalLoss, r.Epoch),
            ("validation_loss_at_T", r.ValidationLossAtHorizon, r.Epoch),
            ("validation_loss_at_long_T", r.ValidationLossAtLongHorizon, r.Epoch),
            ("validation_mean_log_ratio", r.ValidationMeanLogRatio, r.Epoch),
            ("epoch_skipped_updates", r.SkippedUpdates, r.Epoch),
            ("epoch_wall_seconds", r.WallSeconds, r.Epoch),
            .. r.ValidationGuardShare is { } share ? [("validation_guard_share", share, (long)r.Epoch)] : Array.Empty<(string, double, long)>(),
        ]);
    }
}

/// <summary>A meta-trained g (best and last) and the training log.</summary>
public sealed class MetaTrainOutput(
    LearnedOptimizer best, LearnedOptimizer last, IReadOnlyList<MetaEpochRecord> epochs, int skipped, int metaSteps,
    double wallSeconds, int validationFactor) : IExperimentOutput
{
    public LearnedOptimizer Best { get; } = best;
    public LearnedOptimizer Last { get; } = last;

    public object Summary { get; } = new MetaTrainResult(epochs, skipped, metaSteps, best.Network.ParameterCount,
        best.Architecture.ParameterCount);

    public double WallSeconds { get; } = wallSeconds;

    public string Describe()
    {
        var r = (MetaTrainResult)Summary;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"**meta-train**: {r.Epochs.Count} epochs, {r.MetaSteps} meta-steps, ")
          .Append(CultureInfo.InvariantCulture, $"{r.SkippedUpdates} skipped, g has {r.GParameters} weights, {WallSeconds:F0} s\n\n")
          .Append("| epoch | meta-loss | validation loss at T | at long T | validation mean log-ratio | guard share | best |\n|---|---|---|---|---|---|---|\n");
        foreach (var e in r.Epochs)
            sb.Append(CultureInfo.InvariantCulture,
                $"| {e.Epoch} | {e.MeanMetaLoss:G4} | {e.ValidationLossAtHorizon:G4} | {e.ValidationLossAtLongHorizon:G4} | {e.ValidationMeanLogRatio:G4} | {(e.ValidationGuardShare is { } share ? $"{share:P0}" : "")} | {(e.Best ? "yes" : "")} |\n");
        return sb.ToString();
    }

    public void Save(string directory)
    {
        LearnedOptimizerCheckpoint.Save(Best, directory, MetaTrainKind.BestCheckpoint);
        LearnedOptimizerCheckpoint.Save(Last, directory, MetaTrainKind.LastCheckpoint);
        var r = (MetaTrainResult)Summary;
        var kept = r.Epochs.LastOrDefault(e => e.Best);
        Harness.Core.Reporting.Plots.MetaTrainingCurves($"meta-training of g ({r.GParameters} weights)",
            r.Epochs.Select(e => e.Epoch).ToArray(), r.Epochs.Select(e => e.TrainFinalLoss).ToArray(),
            r.Epochs.Select(e => e.ValidationLossAtHorizon).ToArray(), r.Epochs.Select(e => e.ValidationLossAtLongHorizon).ToArray(),
            validationFactor, kept?.Epoch, Path.Combine(directory, "meta-training.png"));
    }
}

public sealed record MetaTrainResult(
    IReadOnlyList<MetaEpochRecord> Epochs,
    int SkippedUpdates,
    int MetaSteps,
    long GParameters,
    int FParameters);
