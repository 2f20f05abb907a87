using Harness.Core.Specs;
using Harness.Experiments.Runner;

namespace Harness.Tests.Unit.Specs;

/// <summary>A small valid experiments file and helpers to load variants of it.</summary>
public static class SpecFixtures
{
    public const string Valid = """
        project: test-project
        datasets:
          - id: small
            generate: { rows: 2000, turns: 2.5, seed: 3 }
        experiments:
          - id: split-a
            kind: split
            seed: 1
            inputs: [small]
            settings:
              subsets: 4
              subset_size: 200
              test_fraction: 0.2
              standardization: zscore
            golden:
              subsets: 2
          - id: split-b
            kind: split
            seed: 2
            inputs: [small]
            settings: { subsets: 2, subset_size: 100 }
        """;

    public static ExperimentsFile Parse(string text, string file = "experiments.yaml") =>
        new ExperimentsFileLoader(KindCatalog.All).Parse(text, file, new DatasetMaterializer(Path.Combine(Path.GetTempPath(), file)));

    public static SpecException Errors(string text) => Assert.Throws<SpecException>(() => Parse(text));
}
