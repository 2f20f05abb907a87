using Harness.Core.Tracking;

namespace Harness.Tests.Unit.Tracking;

public class RunNoteTests
{
    private static readonly string[] Tables = ["comparison.html", "comparison.md"];

    [Fact]
    public void A_description_that_fits_is_the_note_with_the_artifacts_named()
    {
        var note = RunNote.Compose("**compare**: a table", "headline", Tables);
        Assert.Equal("**compare**: a table\n\nThe full tables are in the run's artifacts: `comparison.html`, `comparison.md`.", note);
    }

    [Fact]
    public void A_description_too_long_for_mlflow_gives_way_to_the_summary_and_the_artifacts_that_hold_the_rest()
    {
        var description = string.Join('\n', Enumerable.Range(0, 2000).Select(i => $"| row {i} | value |"));
        var note = RunNote.Compose(description, "| T | g |\n|---|---|\n| 100 | 0.1 |", Tables);
        Assert.StartsWith("| T | g |", note);
        Assert.EndsWith("`comparison.html`, `comparison.md`.", note);
        Assert.DoesNotContain("row 0", note);
    }

    [Fact]
    public void A_summary_too_long_too_is_cut_at_a_line_within_the_limit_and_says_where_the_rest_is()
    {
        var summary = string.Join('\n', Enumerable.Range(0, 1000).Select(i => $"| line {i:D4} |"));
        var note = RunNote.Compose(summary, summary, Tables, limit: 500);
        Assert.InRange(note.Length, 400, 500);
        Assert.EndsWith("`comparison.md`.", note);
        var lines = note.Split('\n');
        Assert.All(lines.TakeWhile(l => l != "…"), l => Assert.Matches(@"^\| line \d{4} \|$", l));
        Assert.Contains("\n…\n", note);
    }
}
