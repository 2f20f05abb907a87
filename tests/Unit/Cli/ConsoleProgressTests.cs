using Harness.Experiments.Cli;

namespace Harness.Tests.Unit.Cli;

/// <summary>Plain-line progress (CI logs, pipes): durations never wrap, and the last step's status is printed.</summary>
public class ConsoleProgressTests
{
    [Theory]
    [InlineData(0, "00:00:00")]
    [InlineData(3_723, "01:02:03")]
    [InlineData(86_399, "23:59:59")]
    [InlineData(90_000, "1d 01:00:00")]
    [InlineData(10 * 86_400 + 61, "10d 00:01:01")]
    public void A_duration_past_a_day_shows_its_days_instead_of_wrapping(int seconds, string expected) =>
        Assert.Equal(expected, ConsoleProgress.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void The_status_described_after_the_last_step_is_printed()
    {
        var writer = new StringWriter();
        using (var task = new ConsoleProgress.LineProgress(writer).Start("meta-training", 2))
        {
            task.Advance();
            task.Describe("epoch 1: meta-loss 0.5");
            task.Advance();
            task.Describe("epoch 2: meta-loss 0.25"); // the final epoch reports after its last step
        }
        var last = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Contains("2/2", last);
        Assert.Contains("epoch 2: meta-loss 0.25", last);
    }
}
