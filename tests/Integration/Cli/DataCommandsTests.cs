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
        Assert.Contains("unknown preset 'nope'", badPreset.StdErr);
        Assert.Contains("(--preset)", badPreset.StdErr);
        Assert.False(File.Exists(folder.File("x.csv")));
    }

    [Theory]
    [InlineData("spirals", "--turns", "1.5")]
    [InlineData("moons", "--noise", "0.2")]
    [InlineData("circles", "--factor", "0.3")]
    [InlineData("checkerboard", "--cells", "3")]
    [InlineData("xor", "--rotation", "30")]
    [InlineData("blobs", "--overlap", "0.1")]
    public void Every_family_generates_and_shows_with_a_plot(string family, string option, string value)
    {
        using var folder = new TempFolder();
        var generated = CliRunner.Run(folder.Path, "data", "generate", "--family", family, "--rows", "400", option, value,
            "--extra-dims", "2", "--label-noise", "0.05", "--seed", "3", "--out", "d.csv");
        Assert.True(generated.ExitCode == 0, generated.All);
        Assert.Equal("x,y,noise1,noise2,label", File.ReadLines(folder.File("d.csv")).First());
        var data = CsvDatasetReader.Read(folder.File("d.csv"));
        Assert.Equal(200, data.CountOf(0));
        Assert.Contains(data.Fingerprint, generated.StdOut);
        var shown = CliRunner.Run(folder.Path, "data", "show", "--family", family, "--rows", "400", option, value,
            "--extra-dims", "2", "--label-noise", "0.05", "--seed", "3", "--head", "2", "--plot", "d.png");
        Assert.True(shown.ExitCode == 0, shown.All);
        Assert.Contains("shape (400, 5), columns x, y, noise1, noise2, label", shown.StdOut);
        Assert.Contains(data.Fingerprint, shown.StdOut); // the same seed and keys give the same data as the file
        Assert.True(new FileInfo(folder.File("d.png")).Length > 1000);
    }
}
