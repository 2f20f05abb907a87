using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Core.Tracking;

/// <summary>MLflow's key and value limits (mlflow-format.md): keys [/\w.\- :], no '..', no leading '/', ≤ 250 chars.</summary>
public static partial class MlflowKeys
{
    public const int MaxKeyLength = 250;
    public const int MaxParamValue = 6000;
    public const int MaxRunTagValue = 8000;
    public const int MaxExperimentTagValue = 5000;
    public const int MaxExperimentName = 500;
    public const string TruncationMarker = "…[truncated; full value in the spec artifact]";

    [GeneratedRegex(@"^[/\w.\- :]+$")]
    private static partial Regex ValidKey();

    public static bool IsValid(string key) =>
        key.Length is > 0 and <= MaxKeyLength && ValidKey().IsMatch(key) && !key.StartsWith('/') &&
        !key.Split('/').Any(part => part is "" or "." or "..");

    /// <summary>A valid key for any input: invalid characters become '_', empty path parts are dropped.</summary>
    public static string Sanitize(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (var c in key) sb.Append(char.IsLetterOrDigit(c) || c is '_' or '/' or '.' or '-' or ' ' or ':' ? c : '_');
        var parts = sb.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => p is "." or ".." ? "_" : p);
        var cleaned = string.Join('/', parts);
        if (cleaned.Length == 0) cleaned = "_";
        return cleaned.Length > MaxKeyLength ? cleaned[..MaxKeyLength] : cleaned;
    }

    public static string Truncate(string value, int max) =>
        value.Length <= max ? value : value[..(max - TruncationMarker.Length)] + TruncationMarker;
}
