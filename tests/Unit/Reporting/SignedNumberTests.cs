using Harness.Core.Reporting;

namespace Harness.Tests.Unit.Reporting;

public class SignedNumberTests
{
    [Theory]
    [InlineData(0.004, 2, "+0.00")]
    [InlineData(-0.004, 2, "+0.00")] // not "-+0.00" nor "-0.00"
    [InlineData(-0.0, 2, "+0.00")]
    [InlineData(-0.4, 0, "+0")]
    [InlineData(1.236, 2, "+1.24")]
    [InlineData(-1.236, 2, "-1.24")]
    [InlineData(double.NaN, 2, "n/a")]
    [InlineData(double.NegativeInfinity, 2, "-∞")]
    public void A_difference_that_rounds_to_zero_reads_plus_zero(double value, int decimals, string expected) =>
        Assert.Equal(expected, SignedNumber.Format(value, decimals));
}
