using Harness.Core.Data;
using Harness.Core.Meta;
using Harness.Core.Specs;

namespace Harness.Tests.Unit.Specs;

/// <summary>`extends:` and `matrix:` in experiments files: what they expand to, and each misuse's located error.</summary>
public class ExperimentTemplatesTests
{
    private const string Head = """
        project: templates
        datasets:
          - id: small
            generate: { rows: 2000, turns: 2.5, seed: 3 }
        experiments:
          - id: base
            kind: split
            seed: 1
            inputs: [small]
            settings: { subsets: 4, subset_size: 200, test_fraction: 0.25 }
            golden: { subsets: 2 }

        """;

    private static ExperimentsFile Parse(string items) => SpecFixtures.Parse(Head + Indent(items));
    private static IReadOnlyList<SpecError> Errors(string items) => SpecFixtures.Errors(Head + Indent(items)).Errors;
    private static string Indent(string items) => string.Join("\n", items.Split('\n').Select(l => "  " + l)) + "\n";

    [Fact]
    public void Extends_merges_settings_and_golden_key_by_key_and_inherits_every_other_key()
    {
        var file = Parse("""
            - id: child
              extends: base
              seed: 7
              settings: { subsets: 3 }
              golden: { subset_size: 100 }
            """);
        var child = file.FindExperiment("child")!;
        Assert.Equal("split", child.Kind);
        Assert.Equal(7UL, child.Seed);
        Assert.Equal(["small"], child.Inputs);
        Assert.Equal(new SplitSettings(3, 200, 0.25), child.Settings);
        Assert.Equal(new SplitSettings(2, 100, 0.25), child.GoldenSettings);
        Assert.Equal("child", child.RandomStream);
        Assert.Equal(new SplitSettings(4, 200, 0.25), file.FindExperiment("base")!.Settings);
    }

    [Fact]
    public void Extends_resolves_chains_in_any_file_order()
    {
        var file = Parse("""
            - id: grandchild
              extends: child
              settings: { subset_size: 100 }
            - id: child
              extends: base
              seed: 9
              settings: { subsets: 3 }
            """);
        var grandchild = file.FindExperiment("grandchild")!;
        Assert.Equal(9UL, grandchild.Seed);
        Assert.Equal(new SplitSettings(3, 100, 0.25), grandchild.Settings);
    }

    [Fact]
    public void A_matrix_of_seeds_gives_one_experiment_per_value_with_derived_ids()
    {
        var file = Parse("""
            - id: copies
              extends: base
              matrix: { seed: [5, 6, 7] }
            """);
        Assert.Equal(["copies@seed=5", "copies@seed=6", "copies@seed=7"], file.Matrices!["copies"]);
        Assert.Equal([5UL, 6UL, 7UL], file.Matrices["copies"].Select(id => file.FindExperiment(id)!.Seed));
        Assert.Null(file.FindExperiment("copies"));
        Assert.Equal(file.Matrices["copies"], file.Resolve("copies"));
        Assert.Equal("copies@seed=6", file.FindExperiment("copies@seed=6")!.RandomStream);
    }

    [Fact]
    public void A_matrix_over_two_keys_is_their_product_the_last_key_fastest_and_settings_keys_set_settings()
    {
        var file = Parse("""
            - id: grid
              extends: base
              matrix: { seed: [1, 2], subsets: [2, 3] }
              ids: "{id}-s{seed}-k{subsets}"
            """);
        Assert.Equal(["grid-s1-k2", "grid-s1-k3", "grid-s2-k2", "grid-s2-k3"], file.Matrices!["grid"]);
        var member = file.FindExperiment("grid-s2-k3")!;
        Assert.Equal(2UL, member.Seed);
        Assert.Equal(new SplitSettings(3, 200, 0.25), member.Settings);
        Assert.Equal(new SplitSettings(2, 200, 0.25), member.GoldenSettings); // golden still overrides
    }

    [Fact]
    public void A_list_matrix_keeps_its_combinations_as_written_and_ids_can_be_listed()
    {
        var file = Parse("""
            - id: arms
              extends: base
              matrix: [{ seed: 5, seed_stream: base }, { seed: 6, seed_stream: other }]
              ids: [arm-one, arm-two]
            """);
        Assert.Equal(["arm-one", "arm-two"], file.Matrices!["arms"]);
        Assert.Equal(("base", 5UL), (file.FindExperiment("arm-one")!.RandomStream, file.FindExperiment("arm-one")!.Seed));
        Assert.Equal(("other", 6UL), (file.FindExperiment("arm-two")!.RandomStream, file.FindExperiment("arm-two")!.Seed));
    }

    /// <summary>A matrix of two copies of base (seeds 5 and 6), with any extra keys, followed by the given items.</summary>
    private static string Copies(string extra, string items) =>
        "- id: copies\n  extends: base\n  matrix: { seed: [5, 6] }\n" + extra + items;

    [Fact]
    public void An_item_whose_input_is_a_matrix_follows_it_member_by_member_zipped_with_its_own_matrix()
    {
        var file = Parse(Copies("  ids: \"{id}-{n}\"\n", """
            - id: downstream
              kind: split
              seed: 0
              inputs: [small]
              settings: { subsets: 2, subset_size: 100 }
            - id: follower
              kind: meta-train
              seed: 3
              inputs: [copies]
              settings: { optimizer: { hidden: 4 }, validation_tasks: 1 }
              matrix: { seed: [30, 31] }
            """));
        Assert.Equal(["follower@seed=30", "follower@seed=31"], file.Matrices!["follower"]);
        Assert.Equal(["copies-1"], file.FindExperiment("follower@seed=30")!.Inputs);
        Assert.Equal(["copies-2"], file.FindExperiment("follower@seed=31")!.Inputs);
        Assert.Equal(31UL, file.FindExperiment("follower@seed=31")!.Seed);
    }

    [Fact]
    public void A_follower_without_a_matrix_of_its_own_takes_the_followed_members_values_in_its_ids()
    {
        var file = Parse(Copies("", """
            - id: follower
              kind: meta-train
              seed: 3
              inputs: [copies]
              settings: { optimizer: { hidden: 4 }, validation_tasks: 1 }
            """));
        Assert.Equal(["follower@seed=5", "follower@seed=6"], file.Matrices!["follower"]);
        Assert.All(file.Matrices["follower"], id => Assert.Equal(3UL, file.FindExperiment(id)!.Seed));
        Assert.Equal(["copies@seed=6"], file.FindExperiment("follower@seed=6")!.Inputs);
    }

    [Theory]
    [InlineData("- id: child\n  extends: nowhere", 13, "experiments.child.extends", "unknown base 'nowhere'")]
    [InlineData("- id: a\n  extends: b\n- id: b\n  extends: a", 13, "experiments.a.extends", "extends cycle: a -> b -> a")]
    [InlineData("- id: m\n  extends: base\n  matrix: { subsetz: [1, 2] }", 14, "experiments.m.matrix.subsetz", "'subsetz' is not a setting of kind split")]
    [InlineData("- id: m\n  extends: base\n  matrix: { seed: 5 }", 14, "experiments.m.matrix.seed", "expected a non-empty list of values")]
    [InlineData("- id: m\n  extends: base\n  matrix: { seed: [1, 2] }\n  ids: [only-one]", 15, "experiments.m.ids", "1 ids for 2 members")]
    [InlineData("- id: m\n  extends: base\n  matrix: { seed: [1, 2] }\n  ids: \"{id}-{colour}\"", 15, "experiments.m.ids", "the pattern names {colour}")]
    [InlineData("- id: m\n  extends: base\n  matrix: { seed: [1, 2] }\n  ids: \"{id}\"", 15, "experiments.m.ids", "gives several members the same id")]
    [InlineData("- id: m\n  extends: base\n  matrix: { seed: [1, 2] }\n  ids: [m, m-2]", 12, "experiments.m", "the matrix item's own id")]
    [InlineData("- id: m\n  extends: base\n  matrix: { seed: [1, 2] }\n  ids: [base, m-2]", 12, "base", "duplicate id 'base'")]
    [InlineData("- id: plain\n  extends: base\n  ids: [x]", 14, "experiments.plain.ids", "ids name the members of a matrix")]
    [InlineData("- id: m\n  extends: base\n  matrix: { seed: [1, 2] }\n- id: f\n  kind: meta-train\n  seed: 1\n  inputs: [m]\n  matrix: { seed: [1, 2, 3] }",
        19, "experiments.f", "'m' has 2, its own matrix has 3")]
    public void Each_misuse_gets_a_located_error(string items, int line, string keyPath, string message)
    {
        var errors = Errors(items);
        var error = Assert.Single(errors, e => e.KeyPath == keyPath && e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void A_matrix_key_may_name_a_nested_setting_and_only_a_setting()
    {
        Assert.Equal(typeof(int), SettingsBinder.TypeAt(typeof(MetaTrainSettings), "optimizer.hidden"));
        Assert.Equal(typeof(int), SettingsBinder.TypeAt(typeof(MetaTrainSettings), "horizon"));
        Assert.Null(SettingsBinder.TypeAt(typeof(MetaTrainSettings), "optimizer.colour"));
        Assert.Null(SettingsBinder.TypeAt(typeof(MetaTrainSettings), "horizon.inner"));
    }
}
