namespace Harness.Core.Data;

/// <summary>One or more problems in a data file, each located by file, line and column.</summary>
public sealed class DataFormatException : UserInputException
{
    public DataFormatException(string file, IReadOnlyList<DataFormatProblem> problems)
        : base(Format(file, problems))
    {
        File = file;
        Problems = problems;
    }

    public string File { get; }
    public IReadOnlyList<DataFormatProblem> Problems { get; }

    private static string Format(string file, IReadOnlyList<DataFormatProblem> problems)
    {
        var lines = problems.Select(p => p.Column is int c
            ? $"{file}:{p.Line}:{c}: {p.Message}"
            : $"{file}:{p.Line}: {p.Message}");
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>A problem at a 1-based line and (where it applies) 1-based column of a file.</summary>
public sealed record DataFormatProblem(int Line, int? Column, string Message);
