using Harness.Core.Data;

namespace Harness.Tests.Integration.Cli;

public class DataCommandsTests
{
    [Fact]
    public void Generate_dataset1_writes_100000_balanced_rows_in_the_study_columns()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run(folder.Path, "data", "generate", "--preset", "dataset1", "--out", "d1.csv");
        Assert.True(result.ExitCode == 0, result.All);
        var lines = File.ReadAllLines(folder.File("d1.csv"));
        Assert.Equal("x,y,label", lines[0]);
        Assert.Equal(100_001, lines.Length);
        var data = CsvDatasetReader.Read(folder.File("d1.csv"));
        Assert.Equal(50_000, data.CountOf(0));
        Assert.Equal(50_000, data.CountOf(1));
        Assert.Contains(data.Fingerprint, result.StdOut);
    }

    [Fact]
    public void Show_prints_shape_counts_and_sample_rows()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run(folder.Path, "data", "show", "--preset", "dataset2", "--head", "3");
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("shape (60000, 3)", result.StdOut);
        Assert.Contains("0 -> 30000, 1 -> 30000", result.StdOut);
        Assert.Contains("label", result.StdOut);
    }

    [Fact]
    public void A_bad_csv_exits_2_with_located_errors_and_no_stack_trace()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.csv"), "x,y,label\n1,2,0\n1,oops,1\n");
        var result = CliRunner.Run(folder.Path, "data", "show", "bad.csv");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.csv:3:3: 'oops' in column 'y' is not a number", result.StdErr);
        Assert.DoesNotContain("   at ", result.All);
    }

    [Fact]
    public void Unknown_verbs_and_missing_options_exit_2()
    {
        using var folder = new TempFolder();
        Assert.Equal(2, CliRunner.Run(folder.Path, "nonsense").ExitCode);
        var missing = CliRunner.Run(folder.Path, "data", "generate", "--preset", "dataset1");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--out", missing.StdErr);
        var badPreset = CliRunner.Run(folder.Path, "data", "generate", "--preset", "nope", "--out", "x.csv");
        Assert.Equal(2, badPreset.ExitCode);
        Assert.Contains("unknown spiral preset 'nope'", badPreset.StdErr);
        Assert.False(File.Exists(folder.File("x.csv")));
    }
}
