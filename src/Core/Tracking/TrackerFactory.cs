using Harness.Core;
using Harness.Core.Specs;

namespace Harness.Core.Tracking;

/// <summary>
/// Chooses the tracker for a run: MLFLOW_TRACKING_URI first, then the file's `tracking.uri`. A folder or file: URI is
/// MLflow's file store (the embedded default, ./mlruns); http(s) is an MLflow server's REST API; `none` turns tracking off.
/// </summary>
public static class TrackerFactory
{
    /// <summary>Where runs go when the MLflow server stops answering mid-run (re-send with `harness mlflow push`).</summary>
    public const string SpillFolder = "mlruns-unsent";

    /// <summary>
    /// The tracker for a run: a REST tracker is wrapped so that an outage spills to <see cref="SpillFolder"/>. Notice
    /// hears what a slow server is being waited for.
    /// </summary>
    public static ITracker Create(ExperimentsFile file, Action<string>? notice = null)
    {
        var tracker = CreateDirect(file, null, notice);
        return tracker is MlflowRestTracker ? new SpillingTracker(tracker, SpillFolder, ExperimentName(file)) : tracker;
    }

    private static string ExperimentName(ExperimentsFile file) => file.Tracking.ExperimentName ?? file.Project;

    /// <summary>The tracker named by --to, MLFLOW_TRACKING_URI or the file, without spilling (for `mlflow push`).</summary>
    public static ITracker CreateDirect(ExperimentsFile file, string? explicitUri, Action<string>? notice = null)
    {
        var target = Resolve(file, explicitUri);
        switch (target.Scheme)
        {
            case TrackingScheme.None:
                return NullTracker.Instance;
            case TrackingScheme.Rest:
                try
                {
                    return new MlflowRestTracker(target.Server!, target.ExperimentName,
                        timeout: TimeSpan.FromSeconds(file.Tracking.TimeoutSeconds), notice: notice);
                }
                catch (TrackingException e)
                {
                    throw new UserInputException($"{target.Source} is '{target.Shown}': {e.Message}");
                }
            default:
                return new MlflowFileStore(target.Folder!, target.ExperimentName);
        }
    }

    public enum TrackingScheme { None, FileStore, Rest }

    /// <summary>Where runs would go, checked without connecting: `validate` and `run` agree on every tracking mistake.</summary>
    public sealed record Target(TrackingScheme Scheme, string Source, string Shown, string ExperimentName, Uri? Server, string? Folder);

    public static Target Resolve(ExperimentsFile file, string? explicitUri)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI");
        var uri = explicitUri ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? file.Tracking.Uri : fromEnvironment.Trim());
        var source = explicitUri is not null ? "--to" : string.IsNullOrWhiteSpace(fromEnvironment) ? $"tracking.uri in {file.Path}" : "MLFLOW_TRACKING_URI";
        var shown = UrlRedaction.Redact(uri);
        var experimentName = ExperimentName(file);
        if (uri is "none" or "off") return new Target(TrackingScheme.None, source, shown, experimentName, null, null);
        if (experimentName.Length is 0 or > MlflowKeys.MaxExperimentName)
            throw new UserInputException($"the MLflow experiment name ({(file.Tracking.ExperimentName is null ? "project" : "tracking.experiment_name")} in " +
                                         $"{file.Path}) has {experimentName.Length} characters; MLflow allows 1-{MlflowKeys.MaxExperimentName}: shorten it.");
        if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var server) || server.Host.Length == 0)
                throw new UserInputException($"{source} is '{shown}', not a valid URL; write it like http://127.0.0.1:5000.");
            return new Target(TrackingScheme.Rest, source, shown, experimentName, server, null);
        }
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
                throw new UserInputException($"{source} is '{shown}', not a valid file: URI; write it as file:///absolute/path/mlruns or a plain folder path.");
            return new Target(TrackingScheme.FileStore, source, shown, experimentName, null, parsed.LocalPath);
        }
        if (uri.Contains("://", StringComparison.Ordinal) || uri.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            throw new UserInputException($"{source} is '{shown}': unsupported scheme. Use a folder (mlruns), a file: URI, http(s)://host:port or none.");
        return new Target(TrackingScheme.FileStore, source, shown, experimentName, null, uri);
    }
}
