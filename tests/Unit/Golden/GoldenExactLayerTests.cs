using System.Text.Json.Nodes;
using Harness.Experiments.Golden;
using Harness.Experiments.Runner;

namespace Harness.Tests.Unit.Golden;

/// <summary>The exact layer of a golden snapshot: SHA-256 of results and checkpoints, under portable numerics on the CPU only.</summary>
public class GoldenExactLayerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"harness-exact-{Guid.NewGuid():N}");

    public GoldenExactLayerTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(Path.Combine(_folder, "g-best.pt"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(_folder, "per-task.csv"), "not a checkpoint");
    }

    public void Dispose() => Directory.Delete(_folder, true);

    private static ExperimentRecord Record(string numerics, string device = "cpu", double loss = 0.123456789) =>
        new("g", "meta-train", "hash", 1, true, device, 1, numerics, "code", new Dictionary<string, string> { ["cpu"] = "any" },
            DateTime.UnixEpoch, 1.5, new Dictionary<string, string>(), null, new JsonObject { ["loss"] = loss });

    [Fact]
    public void Portable_cpu_snapshots_carry_the_digest_of_the_result_and_of_each_checkpoint()
    {
        var golden = GoldenRecord.From(Record("portable"), _folder);
        var exact = golden[GoldenRecord.ExactLayer]!.AsObject();
        Assert.Equal(["result", "g-best.pt"], exact.Select(p => p.Key));
        // SHA-256 of the bytes 1, 2, 3.
        Assert.Equal("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", exact["g-best.pt"]!.GetValue<string>());
        Assert.Equal(0.1235, golden["result"]!["loss"]!.GetValue<double>());
    }

    [Fact]
    public void A_change_in_the_last_bit_changes_the_exact_layer_though_the_rounded_numbers_agree()
    {
        var before = GoldenRecord.From(Record("portable", loss: 0.123456789), _folder);
        var after = GoldenRecord.From(Record("portable", loss: 0.123456788), _folder);
        var differences = GoldenSnapshots.Diff(before, GoldenRecord.Comparable(Record("portable", loss: 0.123456788), _folder, before));
        Assert.Equal(before["result"]!.ToJsonString(), after["result"]!.ToJsonString());
        Assert.Single(differences);
        Assert.StartsWith("sha256.result:", differences[0]);
    }

    [Theory]
    [InlineData("fast", "cpu")]
    [InlineData("portable", "cuda")]
    public void Elsewhere_the_numbers_are_checked_within_tolerance_and_the_stored_exact_layer_is_carried_over(string numerics, string device)
    {
        var stored = GoldenRecord.From(Record("portable", device: "cpu"), _folder);
        stored["device"] = device;
        Assert.Null(GoldenRecord.From(Record(numerics, device), _folder)[GoldenRecord.ExactLayer]);
        var fresh = GoldenRecord.Comparable(Record(numerics, device, loss: 0.1236), _folder, stored);
        Assert.Empty(GoldenSnapshots.Diff(stored, fresh));
        var changed = GoldenRecord.Comparable(Record(numerics, device, loss: 0.2), _folder, stored);
        Assert.Equal(["result.loss: 0.1235 -> 0.2"], GoldenSnapshots.Diff(stored, changed));
    }
}
