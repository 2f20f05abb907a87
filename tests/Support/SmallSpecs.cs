namespace Harness.Tests.Support;

/// <summary>
/// The small experiments files several test assemblies start from, in one place so that a schema change is made once.
/// Tests edit them with <see cref="SpecText.Edit"/>; line numbers in Valid are asserted by the loader's tests.
/// </summary>
public static class SmallSpecs
{
    /// <summary>The dataset both files use and the head of their split-a (a 2,000-row spiral, seeds 3 and 1).</summary>
    private const string DatasetAndSplitA = """
        datasets:
          - id: small
            generate: { rows: 2000, turns: 2.5, seed: 3 }
        experiments:
          - id: split-a
            kind: split
            seed: 1
            inputs: [small]

        """;

    /// <summary>The split-b both files end with.</summary>
    private const string SplitB = """
          - id: split-b
            kind: split
            seed: 2
            inputs: [small]
            settings: { subsets: 2, subset_size: 100 }
        """;

    /// <summary>Two splits of one small dataset, split-a's settings written out key by key (tests assert its line numbers).</summary>
    public const string Valid = "project: test-project\n" + DatasetAndSplitA + """
            settings:
              subsets: 4
              subset_size: 200
              test_fraction: 0.2
              standardization: zscore
            golden:
              subsets: 2

        """ + SplitB;

    /// <summary>The same two splits with tracking off, as the CLI tests run them.</summary>
    public const string TwoSplits = "project: cli-test\ntracking: { uri: none }\n" + DatasetAndSplitA + """
            settings: { subsets: 4, subset_size: 200 }
            golden: { subsets: 2 }

        """ + SplitB;
}
