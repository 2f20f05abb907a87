using Bogus;
using Harness.Core;
using Harness.Core.Data;
using Harness.Core.Specs;

namespace Harness.Tests.Unit.Specs;

public class ExperimentsFileLoaderTests
{
    [Fact]
    public void A_valid_file_loads_into_typed_records_with_golden_overrides_merged()
    {
        var file = SpecFixtures.Parse(SmallSpecs.Valid);
        Assert.Equal("test-project", file.Project);
        var a = file.FindExperiment("split-a")!;
        Assert.Equal(new SplitSettings(4, 200, 0.2, Standardization.Zscore), a.Settings);
        Assert.Equal(new SplitSettings(2, 200, 0.2, Standardization.Zscore), a.GoldenSettings);
        Assert.Equal(["small"], a.Inputs);
        Assert.Equal(new SplitSettings(2, 100), file.FindExperiment("split-b")!.GoldenSettings);
    }

    [Fact]
    public void The_random_stream_is_the_id_unless_seed_stream_names_another()
    {
        var plain = SpecFixtures.Parse(SmallSpecs.Valid);
        Assert.Null(plain.FindExperiment("split-b")!.SeedStream);
        Assert.Equal("split-b", plain.FindExperiment("split-b")!.RandomStream);
        var shared = SpecFixtures.Parse(SmallSpecs.Valid.Edit("    seed: 2\n", "    seed: 2\n    seed_stream: split-a\n"));
        Assert.Equal("split-a", shared.FindExperiment("split-b")!.SeedStream);
        Assert.Equal("split-a", shared.FindExperiment("split-b")!.RandomStream);
    }

    [Theory]
    [InlineData("subsets: 4", "subsets: four", 11, "experiments.split-a.settings.subsets", "'four' is not a whole number")]
    [InlineData("subsets: 4", "subsetz: 4", 11, "experiments.split-a.settings.subsetz", "unknown key 'subsetz' (did you mean 'subsets'?)")]
    [InlineData("subsets: 4", "subsets: 0", 11, "experiments.split-a.settings.subsets", "subsets must be ≥ 1")]
    [InlineData("test_fraction: 0.2", "test_fraction: 1.5", 13, "experiments.split-a.settings.test_fraction", "strictly between 0 and 1")]
    [InlineData("standardization: zscore", "standardization: minmax", 14, "experiments.split-a.settings.standardization", "one of none, zscore")]
    [InlineData("kind: split\n    seed: 1", "kind: splitt\n    seed: 1", 7, "experiments.split-a.kind", "unknown kind 'splitt'; allowed: ")]
    [InlineData("inputs: [small]\n    settings:\n      subsets: 4", "inputs: [large]\n    settings:\n      subsets: 4", 9, "experiments.split-a.inputs", "'large' is neither a dataset nor an experiment")]
    [InlineData("subset_size: 200", "subset_size: 800", 9, "experiments.split-a.inputs", "need 1600 rows of each class, but dataset 'small' has 1000")]
    [InlineData("golden:\n      subsets: 2", "golden:\n      subsets: 11", 16, "experiments.split-a.golden", "need 1100 rows of each class")]
    [InlineData("golden:\n      subsets: 2", "golden:\n      subsetts: 2", 16, "experiments.split-a.golden.subsetts", "unknown key 'subsetts'")]
    [InlineData("project: test-project", "project: test-project\nextra: 1", 2, "extra", "unknown key 'extra'; allowed keys: project, tracking, slurm, datasets, experiments")]
    [InlineData("seed: 3 }", "seed: -3 }", 4, "datasets.small.generate.seed", "'-3' is not a whole number ≥ 0")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { preset: dataset9 }", 4, "datasets.small.generate.preset", "unknown preset 'dataset9'")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "csv: missing.csv", 3, "datasets.small", "no such file")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { family: moonz, rows: 2000 }", 4, "datasets.small.generate.family", "one of spirals, moons, circles, checkerboard, xor, blobs")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { family: moons, rows: 2000, cells: 4 }", 4, "datasets.small.generate.cells", "'cells' does not apply to family moons")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { family: blobs, rows: 2000, overlap: 0.7 }", 4, "datasets.small.generate.overlap", "strictly between 0 and 0.5")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { family: circles, turns: 2 }", 4, "datasets.small.generate.rows", "without a preset, give 'rows'")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { rows: 2000, seed: 3 }", 4, "datasets.small.generate.turns", "needs 'turns'")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { preset: dataset1, family: xor }", 4, "datasets.small.generate.preset", "the presets are spirals")]
    [InlineData("generate: { rows: 2000, turns: 2.5, seed: 3 }", "generate: { rows: 2000, turns: 2.5, label_noise: 0.6 }", 4, "datasets.small.generate.label_noise", "[0, 0.5)")]
    [InlineData("id: split-b", "id: split-a", 17, "split-a", "duplicate id 'split-a' (first used on line 6)")]
    [InlineData("id: split-b", "id: small", 17, "small", "duplicate id 'small'")]
    [InlineData("id: split-b", "id: bad/id", 17, "experiments.bad/id", "must be 1-64 letters")]
    [InlineData("    seed: 2\n", "\n", 17, "experiments.split-b", "missing required key 'seed'")]
    [InlineData("    seed: 2\n", "    seed: 2\n    seed_stream: a/b\n", 20, "experiments.split-b.seed_stream", "seed stream 'a/b' must be 1-64 letters")]
    [InlineData("    seed: 2\n", "    seed: 2\n    seed_stream: [split-a]\n", 20, "experiments.split-b.seed_stream", "expected a text value for 'seed_stream'")]
    public void Each_mistake_gets_its_specific_located_message(string find, string replace, int line, string keyPath, string message)
    {
        Assert.Contains(find, SmallSpecs.Valid);
        var errors = SpecFixtures.Errors(SmallSpecs.Valid.Edit(find, replace)).Errors;
        var error = Assert.Single(errors, e => e.KeyPath == keyPath);
        Assert.Equal(line, error.Line);
        Assert.True(error.Column >= 1);
        Assert.Contains(message, error.Message);
        Assert.Equal("experiments.yaml", error.File);
    }

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        var text = SmallSpecs.Valid.Edit("subsets: 4", "subsets: x").Edit("kind: split\n    seed: 2", "kind: nope\n    seed: 2")
            .Edit("project: test-project", "project: test-project\ncolour: blue");
        var e = SpecFixtures.Errors(text);
        Assert.Equal(3, e.Errors.Count);
        Assert.Contains("3 problems", e.Message);
    }

    [Fact]
    public void Dependency_cycles_are_found_and_named()
    {
        var text = SmallSpecs.Valid.Edit("inputs: [small]\n    settings:\n      subsets: 4", "inputs: [split-b]\n    settings:\n      subsets: 4")
            .Edit("inputs: [small]\n    settings: { subsets: 2", "inputs: [split-a]\n    settings: { subsets: 2");
        var errors = SpecFixtures.Errors(text).Errors;
        Assert.Contains(errors, e => e.Message.Contains("dependency cycle: split-a -> split-b -> split-a") ||
                                     e.Message.Contains("dependency cycle: split-b -> split-a -> split-b"));
    }

    [Fact]
    public void Broken_YAML_is_located()
    {
        var e = SpecFixtures.Errors("project: x\nexperiments:\n  - id: [unclosed\n");
        Assert.Contains("not valid YAML", e.Errors[0].Message);
        Assert.True(e.Errors[0].Line >= 3);
    }

    [Fact]
    public void Randomly_broken_specs_end_in_a_spec_error_never_in_another_exception()
    {
        var faker = new Faker { Random = new Randomizer(77) };
        var lines = SmallSpecs.Valid.Split('\n');
        int failures = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var mutated = lines.ToList();
            int i = faker.Random.Int(0, mutated.Count - 1);
            switch (faker.Random.Int(0, 3))
            {
                case 0: mutated.RemoveAt(i); break;
                case 1: mutated[i] = mutated[i].Replace(":", faker.PickRandom(": [", ":: ", " ", ": -1", ": {}")); break;
                case 2: mutated.Insert(i, new string(' ', faker.Random.Int(0, 6)) + faker.Lorem.Word() + ": " + faker.Random.Int(-5, 5)); break;
                default: mutated[i] = new string(' ', faker.Random.Int(0, 8)) + mutated[i].TrimStart(); break;
            }
            try
            {
                SpecFixtures.Parse(string.Join('\n', mutated));
            }
            catch (UserInputException)
            {
                failures++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {trial} ({string.Join("|", mutated)}) threw {e}");
            }
        }
        Assert.True(failures > 100, $"only {failures} of 200 mutations were rejected");
    }
}
