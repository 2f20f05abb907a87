using Harness.Core.Runtime;
using Harness.Core.Specs;

namespace Harness.Tests.Unit.Specs;

public class SpecHasherTests
{
    private static readonly CodeVersion Code = new("abc123", "main", false);

    private static string HashOf(string text, string id = "split-a", bool golden = false, CodeVersion? code = null,
        string input = "small=h1") =>
        SpecHasher.ExperimentHash(SpecFixtures.Parse(text).FindExperiment(id)!, golden, [input], code ?? Code);

    [Fact]
    public void Reordering_keys_keeps_the_hash()
    {
        var reordered = SmallSpecs.Valid.Edit(
            "      subsets: 4\n      subset_size: 200\n      test_fraction: 0.2\n      standardization: zscore",
            "      standardization: zscore\n      test_fraction: 0.2\n      subset_size: 200\n      subsets: 4");
        Assert.NotEqual(SmallSpecs.Valid, reordered);
        Assert.Equal(HashOf(SmallSpecs.Valid), HashOf(reordered));
    }

    [Fact]
    public void Writing_a_default_explicitly_keeps_the_hash()
    {
        var explicitDefaults = SmallSpecs.Valid.Edit("settings: { subsets: 2, subset_size: 100 }",
            "settings: { subsets: 2, subset_size: 100, test_fraction: 0.2, standardization: zscore }");
        Assert.Equal(HashOf(SmallSpecs.Valid, "split-b"), HashOf(explicitDefaults, "split-b"));
    }

    [Theory]
    [InlineData("subsets: 4", "subsets: 3")]
    [InlineData("subset_size: 200", "subset_size: 202")]
    [InlineData("test_fraction: 0.2", "test_fraction: 0.25")]
    [InlineData("standardization: zscore", "standardization: none")]
    [InlineData("seed: 1", "seed: 5")]
    public void Changing_any_setting_changes_the_hash(string find, string replace) =>
        Assert.NotEqual(HashOf(SmallSpecs.Valid), HashOf(SmallSpecs.Valid.Edit(find, replace)));

    [Fact]
    public void Declaring_a_seed_stream_changes_the_hash_and_each_stream_has_its_own()
    {
        var plain = HashOf(SmallSpecs.Valid, "split-b");
        var streamA = HashOf(SmallSpecs.Valid.Edit("    seed: 2\n", "    seed: 2\n    seed_stream: split-a\n"), "split-b");
        var streamC = HashOf(SmallSpecs.Valid.Edit("    seed: 2\n", "    seed: 2\n    seed_stream: split-c\n"), "split-b");
        Assert.NotEqual(plain, streamA);
        Assert.NotEqual(streamA, streamC);
    }

    [Fact]
    public void Golden_size_code_version_and_inputs_change_the_hash()
    {
        var baseline = HashOf(SmallSpecs.Valid);
        Assert.NotEqual(baseline, HashOf(SmallSpecs.Valid, golden: true));
        Assert.NotEqual(baseline, HashOf(SmallSpecs.Valid, code: Code with { Dirty = true }));
        Assert.NotEqual(baseline, HashOf(SmallSpecs.Valid, code: Code with { Commit = "def456" }));
        Assert.NotEqual(baseline, HashOf(SmallSpecs.Valid, input: "small=h2"));
    }
}

public class CanonicalSettingsTests
{
    [Fact]
    public void Derived_values_are_not_part_of_a_canonical_spec()
    {
        var settings = new Harness.Core.Meta.MetaTrainSettings(new Harness.Core.Learned.LearnedOptimizerSettings(),
            F: Harness.Core.Models.MlpArchitecture.Study);
        var json = SpecHasher.CanonicalSettings(settings)!.ToJsonString();
        Assert.DoesNotContain("resolved", json);
        Assert.DoesNotContain("segments", json);
        Assert.DoesNotContain("input_size", json);
        Assert.Contains("\"layers\":[2,128,64,1]", json);
    }
}

public class CodeVersionTests
{
    [Fact]
    public void A_dirty_tree_is_identified_by_its_changes_so_edits_change_spec_hashes()
    {
        var a = new Harness.Core.Runtime.CodeVersion("abc", "main", true, "111111111111");
        var b = a with { DiffHash = "222222222222" };
        Assert.Equal("abc+dirty.111111111111", a.ToString());
        Assert.NotEqual(a.ToString(), b.ToString());
        Assert.Equal("abc", (a with { Dirty = false }).ToString());
    }
}
