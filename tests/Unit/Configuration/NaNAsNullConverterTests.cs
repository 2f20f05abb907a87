using System.Text.Json;
using Harness.Core.Configuration;
using Harness.Core.Specs;

namespace Harness.Tests.Unit.Configuration;

public class NaNAsNullConverterTests
{
    private sealed record Numbers(double Mean, double Worst, double Best, double Plain);

    [Fact]
    public void NaN_is_written_as_null_infinities_by_name_and_all_read_back()
    {
        var json = JsonSerializer.Serialize(new Numbers(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.125), HarnessJson.Options);
        Assert.Equal("""{"mean":null,"worst":"Infinity","best":"-Infinity","plain":0.125}""", json);
        var back = JsonSerializer.Deserialize<Numbers>(json, HarnessJson.Options)!;
        Assert.True(double.IsNaN(back.Mean));
        Assert.Equal((double.PositiveInfinity, double.NegativeInfinity, 0.125), (back.Worst, back.Best, back.Plain));
        Assert.True(double.IsNaN(JsonSerializer.Deserialize<Numbers>("""{"mean":"NaN","worst":1,"best":2,"plain":3}""", HarnessJson.Options)!.Mean));
    }
}
