namespace Harness.Core.Configuration;

/// <summary>
/// A settings record that checks its own values after binding (ranges, combinations). Each problem names the
/// key it concerns (snake_case, as written in the file) so the error can point at that line.
/// </summary>
public interface IValidatableSettings
{
    IEnumerable<(string Key, string Message)> Validate();
}
