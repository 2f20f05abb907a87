namespace Harness.Tests.Support;

/// <summary>
/// The small experiments files several test assemblies start from, in one place so that a schema change is made once.
/// Tests edit them with <see cref="SpecText.Edit"/>; line numbers in Valid are asserted by the loader's tests.
/// </summary>
public static class SmallSpecs
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
