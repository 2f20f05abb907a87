namespace Harness.Core.Meta;

/// <summary>
/// One epoch of meta-training as logged: mean meta-loss, validation at T and k·T, its mean log-ratio and (for a guarded
/// g) the share of g's validation steps its guard replaced, skipped updates, time.
/// </summary>
public sealed record MetaEpochRecord(
    int Epoch,
    double MeanMetaLoss,
    double TrainFinalLoss,
    double ValidationLossAtHorizon,
    double ValidationLossAtLongHorizon,
    double ValidationMeanLogRatio,
    int SkippedUpdates,
    int AbortedUnrolls,
    [property: System.Text.Json.Serialization.JsonIgnore] double WallSeconds, // timing: logged, never in results
    bool Best,
    double? ValidationGuardShare = null);

/// <summary>Receives meta-training progress as it happens (the runner forwards it to MLflow and the console).</summary>
public interface IMetaTrainingObserver
{
    void OnMetaStep(int globalStep, double metaLoss, bool skipped);
    void OnEpoch(MetaEpochRecord record);
}
