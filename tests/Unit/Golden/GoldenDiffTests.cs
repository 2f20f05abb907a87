using System.Text.Json.Nodes;
using Harness.Experiments.Golden;

namespace Harness.Tests.Unit.Golden;

/// <summary>A golden difference names the value by what it is (optimizer, horizon, metric), old -> new.</summary>
public class GoldenDiffTests
{
    private static JsonNode Snapshot(double adamLoss) => JsonNode.Parse($$"""
        { "id": "cmp", "result": { "optimizers": [
            { "optimizer": "g", "horizon": 100, "final_train_loss": { "mean": 0.5 } },
            { "optimizer": "adam", "horizon": 100, "final_train_loss": { "mean": {{adamLoss}} } } ],
          "values": [ 1, 2 ] } }
        """)!;

    [Fact]
    public void A_changed_value_in_a_list_of_records_is_named_by_its_identity_not_its_index()
    {
        var diff = GoldenSnapshots.Diff(Snapshot(0.25), Snapshot(0.3));
        Assert.Equal(["result.optimizers[optimizer=adam, horizon=100].final_train_loss.mean: 0.25 -> 0.3"], diff);
    }

    [Fact]
    public void The_explanation_lists_each_change_and_the_accept_command()
    {
        var text = GoldenSnapshots.Explain("cmp", Snapshot(0.25), Snapshot(0.3), "research/x.yaml")!;
        Assert.Contains("cmp: 1 golden value(s) changed (old -> new)", text);
        Assert.Contains("optimizers[optimizer=adam, horizon=100].final_train_loss.mean: 0.25 -> 0.3", text);
        Assert.Contains("./harness golden accept -f research/x.yaml cmp", text);
        Assert.Null(GoldenSnapshots.Explain("cmp", Snapshot(0.25), Snapshot(0.25)));
    }

    [Fact]
    public void Elements_without_an_identity_or_with_duplicate_ones_keep_their_index()
    {
        var before = JsonNode.Parse("""{ "a": [ { "optimizer": "g", "v": 1 }, { "optimizer": "g", "v": 2 } ], "b": [ 1, 2 ] }""");
        var after = JsonNode.Parse("""{ "a": [ { "optimizer": "g", "v": 1 }, { "optimizer": "g", "v": 3 } ], "b": [ 1, 5 ] }""");
        Assert.Equal(["a[1].v: 2 -> 3", "b[1]: 2 -> 5"], GoldenSnapshots.Diff(before, after));
    }
}
