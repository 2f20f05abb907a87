using Harness.Core.Evaluation;

namespace Harness.Tests.Unit.Evaluation;

public class PairedTimingTests
{
    [Fact]
    public void Rounds_alternate_which_side_runs_first_and_ratios_are_per_round()
    {
        var order = new List<char>();
        double slow = 1;
        // A machine that slows down 10x from round 3 on: per-round ratios stay 2.
        int calls = 0;
        double Next(char side, double cost)
        {
            order.Add(side);
            if (++calls > 4) slow = 10;
            return cost * slow;
        }
        var timing = PairedTiming.Measure(5, () => Next('a', 1), () => Next('b', 2));

        Assert.Equal("abbaabbaab", new string(order.ToArray()));
        Assert.All(timing.Ratios, r => Assert.Equal(2, r, 12));
        Assert.Equal(2, timing.MedianRatio, 12);
        Assert.Equal(10, timing.MedianFirst, 12);
    }

    [Fact]
    public void Zero_rounds_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedTiming.Measure(0, () => 1, () => 1));
    }
}
