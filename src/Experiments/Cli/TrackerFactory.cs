using Harness.Core;
using Harness.Core.Specs;
using Harness.Core.Tracking;

namespace Harness.Experiments.Cli;

/// <summary>
/// Chooses the tracker for a run: MLFLOW_TRACKING_URI first, then the file's `tracking.uri`. A folder or file: URI is
/// MLflow's file store (the embedded default, ./mlruns); http(s) is an MLflow server's REST API; `none` turns tracking off.
/// </summary>
public static class TrackerFactory
{
    public static ITracker Create(ExperimentsFile file)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI");
        var uri = string.IsNullOrWhiteSpace(fromEnvironment) ? file.Tracking.Uri : fromEnvironment.Trim();
        var source = string.IsNullOrWhiteSpace(fromEnvironment) ? $"tracking.uri in {file.Path}" : "MLFLOW_TRACKING_URI";
        var experimentName = file.Tracking.ExperimentName ?? file.Project;
        if (uri is "none" or "off") return NullTracker.Instance;
        if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var server))
                throw new UserInputException($"{source} is '{uri}', not a valid URL; write it like http://127.0.0.1:5000.");
            try
            {
                return new MlflowRestTracker(server, experimentName);
            }
            catch (TrackingException e)
            {
                throw new UserInputException($"{source} is '{uri}': {e.Message}");
            }
        }
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
                throw new UserInputException($"{source} is '{uri}', not a valid file: URI; write it as file:///absolute/path/mlruns or a plain folder path.");
            return new MlflowFileStore(parsed.LocalPath, experimentName);
        }
        if (uri.Contains("://", StringComparison.Ordinal) || uri.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            throw new UserInputException($"{source} is '{uri}': unsupported scheme. Use a folder (mlruns), a file: URI, or none.");
        return new MlflowFileStore(uri, experimentName);
    }
}
