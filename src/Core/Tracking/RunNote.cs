namespace Harness.Core.Tracking;

/// <summary>
/// A run's note (mlflow.note.content, shown as the run's description) written to fit MLflow's 8,000-character tag
/// limit: the whole description when it fits, else the summary and the artifacts that hold the rest, by name. A
/// summary that is itself too long is cut at a line, never inside one, and says where the rest is.
/// </summary>
public static class RunNote
{
    public static string Compose(string description, string summary, IReadOnlyList<string> fullTablesIn, int limit = MlflowKeys.MaxRunTagValue)
    {
        var pointer = fullTablesIn.Count == 0 ? "" : $"\n\nThe full tables are in the run's artifacts: {string.Join(", ", fullTablesIn.Select(a => $"`{a}`"))}.";
        var whole = description.TrimEnd() + pointer;
        if (whole.Length <= limit) return whole;
        var note = summary.TrimEnd() + pointer;
        if (note.Length <= limit) return note;
        var tail = "\n…" + (pointer.Length > 0 ? pointer : "\n\n(cut to fit MLflow's note limit)");
        var head = summary[..Math.Max(0, limit - tail.Length)];
        int line = head.LastIndexOf('\n');
        return (line > 0 ? head[..line] : head).TrimEnd() + tail;
    }
}
