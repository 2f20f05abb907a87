namespace Harness.Tests.Integration.Cli;

/// <summary>
/// A sealed split: what reads it runs only with `--unseal "reason"`, each unsealing adds one row to the ledger and a
/// tag to its MLflow run, a run of everything skips it, and golden runs never touch the ledger.
/// </summary>
[Collection("torch")]
public class SealedSplitTests
{
    private const string Spec = """
        project: sealed-test
        tracking: { uri: mlruns }
        datasets:
          - id: d1
            generate: { rows: 2000, turns: 2.5, seed: 1 }
          - id: d3
            generate: { rows: 2000, turns: 2.0, seed: 3 }
        experiments:
          - id: train-tasks
            kind: split
            seed: 1
            inputs: [d1]
            settings: { subsets: 4, subset_size: 100 }
          - id: final-tasks
            kind: split
            seed: 2
            sealed: true
            inputs: [d3]
            settings: { subsets: 2, subset_size: 100 }
          - id: g
            kind: meta-train
            seed: 3
            inputs: [train-tasks]
            settings:
              optimizer: { hidden: 4, inputs: [adam-gradient], output: adam-residual, learning_rate: 0.02 }
              f: { layers: [2, 8, 1] }
              epochs: 1
              horizon: 4
              truncation: 2
              tasks_per_step: 2
              validation_tasks: 1
              validation_horizon_factor: 1
          - id: claim
            kind: meta-test
            seed: 4
            inputs: [g, final-tasks]
            settings: { horizon: 5, adam_learning_rate: 0.02 }
          - id: after-claim
            kind: meta-test
            seed: 5
            inputs: [g, train-tasks]
            settings: { horizon: 3, adam_learning_rate: 0.02 }
        """;

    private static string Ledger(TempFolder folder) => folder.File("research/unsealed.md");

    [Fact]
    public void A_sealed_split_opens_only_with_a_reason_and_every_opening_is_in_the_ledger()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec);

        var refused = CliRunner.Run(folder.Path, "run", "claim", "--threads", "1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("claim reads the sealed split final-tasks", refused.All);
        Assert.Contains("--unseal", refused.All);
        Assert.DoesNotContain("   at ", refused.All); // no stack trace for a user mistake
        Assert.False(Directory.Exists(folder.File("outputs/claim")));

        var noReason = CliRunner.Run(folder.Path, "run", "claim", "--unseal", " ", "--threads", "1");
        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("--unseal needs a reason", noReason.All);

        var everything = CliRunner.Run(folder.Path, "run", "--threads", "1");
        Assert.True(everything.ExitCode == 0, everything.All);
        Assert.Contains("claim: skipped, it reads the sealed split final-tasks", everything.All);
        Assert.False(Directory.Exists(folder.File("outputs/claim")));
        Assert.True(Directory.Exists(folder.File("outputs/after-claim")), "the rest runs");
        Assert.False(File.Exists(Ledger(folder)));

        var golden = CliRunner.Run(folder.Path, "run", "claim", "--golden", "--threads", "1");
        Assert.True(golden.ExitCode == 0, golden.All);
        Assert.False(File.Exists(Ledger(folder)), "golden runs are exempt and never touch the ledger");

        var opened = CliRunner.Run(folder.Path, "run", "claim", "--unseal", "final table | for the claim", "--threads", "1");
        Assert.True(opened.ExitCode == 0, opened.All);
        var row = Assert.Single(File.ReadAllLines(Ledger(folder)), l => l.StartsWith("| 20", StringComparison.Ordinal));
        Assert.Contains("| claim |", row);
        Assert.Contains("| final-tasks |", row);
        Assert.Contains("final table / for the claim", row); // one table cell: the pipe is replaced
        // outputs/claim holds the golden result and this one: the row names this one's spec hash.
        var hashes = Directory.GetDirectories(folder.File("outputs/claim")).Select(d => Path.GetFileName(d)!).ToList();
        Assert.Equal(2, hashes.Count);
        Assert.Single(hashes, h => row.Contains(h, StringComparison.Ordinal));
        var tagFiles = Directory.GetFiles(folder.File("mlruns"), "harness.unsealed_reason", SearchOption.AllDirectories);
        Assert.True(tagFiles.Length == 1, string.Join("\n", tagFiles));
        Assert.Equal("final table | for the claim", File.ReadAllText(tagFiles[0]));

        // A cached result is not a new look: no row. A recomputation is: one more.
        Assert.Equal(0, CliRunner.Run(folder.Path, "run", "claim", "--unseal", "again", "--threads", "1").ExitCode);
        Assert.Single(File.ReadAllLines(Ledger(folder)), l => l.StartsWith("| 20", StringComparison.Ordinal));
        Assert.Equal(0, CliRunner.Run(folder.Path, "run", "claim", "--unseal", "recomputed", "--force", "--threads", "1").ExitCode);
        Assert.Equal(2, File.ReadAllLines(Ledger(folder)).Count(l => l.StartsWith("| 20", StringComparison.Ordinal)));
    }

    [Fact]
    public void Only_a_split_can_be_sealed()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Replace("    seed: 4\n", "    seed: 4\n    sealed: true\n", StringComparison.Ordinal));
        var result = CliRunner.Run(folder.Path, "run", "--threads", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("experiments.claim.sealed", result.All);
        Assert.Contains("only a split can be sealed", result.All);
    }
}
