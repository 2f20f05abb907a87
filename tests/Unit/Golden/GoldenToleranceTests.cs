using System.Text.Json.Nodes;
using Harness.Experiments.Golden;
using Harness.Experiments.Runner;

namespace Harness.Tests.Unit.Golden;

public class GoldenToleranceTests
{
    private static JsonObject Record(double loss, double accuracy, string label = "g") => new()
    {
        ["id"] = "x",
        ["result"] = new JsonObject
        {
            ["optimizers"] = new JsonArray(new JsonObject { ["name"] = label, ["loss"] = loss, ["accuracy"] = accuracy }),
        },
    };

    [Fact]
    public void A_rounding_boundary_flip_takes_the_stored_value()
    {
        var stored = Record(0.5851, 99.32);
        var settled = GoldenTolerance.Settle(Record(0.585, 99.32), stored);
        Assert.Empty(GoldenSnapshots.Diff(stored, settled));
    }

    [Fact]
    public void A_real_change_is_kept_and_shows_in_the_diff()
    {
        var stored = Record(88.04, 99.32);
        var settled = GoldenTolerance.Settle(Record(83.91, 99.32), stored);
        Assert.Equal(["result.optimizers[name=g].loss: 88.04 -> 83.91"], GoldenSnapshots.Diff(stored, settled));
    }

    [Fact]
    public void Text_and_new_fields_are_never_settled()
    {
        var stored = Record(0.5, 90);
        var fresh = Record(0.5, 90, "adam");
        fresh["result"]!["extra"] = 1.0;
        var differences = GoldenSnapshots.Diff(stored, GoldenTolerance.Settle(fresh, stored));
        // A renamed optimizer is another element: its values move from [name=g] to [name=adam].
        Assert.Contains(differences, d => d.StartsWith("result.extra", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("result.optimizers[name=g].loss: 0.5 -> (absent)", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("result.optimizers[name=adam].loss: (absent) -> 0.5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1.0, 1.0019, true)]
    [InlineData(1.0, 1.0021, false)]
    [InlineData(0.0, 1e-9, false)]
    [InlineData(-2.0, -2.003, true)]
    public void Closeness_is_relative(double a, double b, bool close) => Assert.Equal(close, GoldenTolerance.Close(a, b));
}
