namespace Harness.Core.Specs;

/// <summary>One problem in a spec file: where (file, line, column, key path) and what is allowed.</summary>
public sealed record SpecError(string File, int Line, int Column, string KeyPath, string Message)
{
    public override string ToString() =>
        KeyPath.Length > 0 ? $"{File}:{Line}:{Column}: {KeyPath}: {Message}" : $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>All the problems found in a spec file (never just the first).</summary>
public sealed class SpecException : UserInputException
{
    public SpecException(IReadOnlyList<SpecError> errors)
        : base($"{errors.Count} problem{(errors.Count == 1 ? "" : "s")} in the experiments file:" + Environment.NewLine +
               string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    public IReadOnlyList<SpecError> Errors { get; }
}
