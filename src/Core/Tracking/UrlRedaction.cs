using System.Text.RegularExpressions;

namespace Harness.Core.Tracking;

/// <summary>
/// Credentials written into a URL (http://user:secret@host) never reach output, params, tags or artifacts: every URL the
/// program shows or stores passes through <see cref="Redact(string)"/>, which keeps the scheme, host and path.
/// </summary>
public static partial class UrlRedaction
{
    public const string Mask = "***";

    [GeneratedRegex(@"(?<=://)[^/@\s'""]+@")]
    private static partial Regex UserInfo();

    /// <summary>Any text with the user-info part of each URL in it replaced by ***.</summary>
    public static string Redact(string text) => UserInfo().Replace(text, Mask + "@");

    /// <summary>The URL without its user-info, and the user name and password it carried (null when none).</summary>
    public static (Uri Bare, string? User, string? Password) Split(Uri uri)
    {
        if (uri.UserInfo.Length == 0) return (uri, null, null);
        var parts = uri.UserInfo.Split(':', 2);
        var bare = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        return (bare, Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
