namespace Harness.Tests.Integration;

/// <summary>The small experiments file the CLI tests start from (two quick splits, tracking off), shared so that a
/// schema change is made in one place.</summary>
public static class SmallSpecs
{
    public const string TwoSplits = """
        project: cli-test
        tracking: { uri: none }
        datasets:
          - id: small
            generate: { rows: 2000, turns: 2.5, seed: 3 }
        experiments:
          - id: split-a
            kind: split
            seed: 1
            inputs: [small]
            settings: { subsets: 4, subset_size: 200 }
            golden: { subsets: 2 }
          - id: split-b
            kind: split
            seed: 2
            inputs: [small]
            settings: { subsets: 2, subset_size: 100 }
        """;
}
