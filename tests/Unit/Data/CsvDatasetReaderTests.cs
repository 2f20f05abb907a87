using Bogus;
using Harness.Core;
using Harness.Core.Data;

namespace Harness.Tests.Unit.Data;

public class CsvDatasetReaderTests
{
    private static Dataset Parse(string text) => CsvDatasetReader.Read(new StringReader(text), "data.csv", "data");

    private static DataFormatProblem SingleProblem(string text)
    {
        var e = Assert.Throws<DataFormatException>(() => Parse(text));
        Assert.Equal("data.csv", e.File);
        return Assert.Single(e.Problems);
    }

    [Fact]
    public void Reads_a_valid_file_with_labels_as_integers_or_decimals()
    {
        var d = Parse("x,y,label\n1.5,-2,0.0\n3e1,4,1\n0,0,1.0\n");
        Assert.Equal(3, d.Rows);
        Assert.Equal([1.5, 30, 0], d.X);
        Assert.Equal([-2.0, 4, 0], d.Y);
        Assert.Equal(new byte[] { 0, 1, 1 }, d.Label);
    }

    [Fact]
    public void Columns_may_come_in_any_order_with_spaces_and_a_byte_order_mark()
    {
        var d = Parse("\uFEFFlabel, Y ,x\n1, 2, 3\n0,5,6\n");
        Assert.Equal([3.0, 6], d.X);
        Assert.Equal([2.0, 5], d.Y);
        Assert.Equal(new byte[] { 1, 0 }, d.Label);
    }

    [Fact]
    public void Any_number_of_feature_columns_reads_in_file_order_after_x_and_y()
    {
        var d = Parse("b,label,y,a,x\n1,0,2,3,4\n5,1,6,7,8\n");
        Assert.Equal(["x", "y", "b", "a"], d.FeatureNames);
        Assert.Equal([4.0, 8], d.X);
        Assert.Equal([1.0, 5], d.Features[2]);
        Assert.Equal([3.0, 7], d.Features[3]);
        var one = Parse("width,label\n1,0\n2,1\n");
        Assert.Equal(1, one.FeatureCount);
        Assert.Equal(["width"], one.FeatureNames);
    }

    [Fact]
    public void A_wide_file_round_trips_through_the_writer()
    {
        var d = Parse("x,y,noise1,label\n1,2,3,0\n4,5,6,1\n");
        var path = Path.GetTempFileName();
        try
        {
            CsvDatasetWriter.Write(d, path);
            Assert.StartsWith("x,y,noise1,label\n", File.ReadAllText(path));
            Assert.Equal(d.Fingerprint, CsvDatasetReader.Read(path).Fingerprint);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("x,y\n1,2\n", 1, null, "missing column 'label'")]
    [InlineData("x,,label\n1,2,0\n", 1, 2, "column 2 of the header has no name")]
    [InlineData("label\n1\n0\n", 1, null, "no feature column")]
    [InlineData("x,y,label,y\n1,2,0,3\n", 1, 4, "column 'y' appears twice")]
    [InlineData("x,y,label\n1,2,0\n1,2\n", 3, null, "2 fields where the header has 3")]
    [InlineData("x,y,label\n1,2,0\n1,2,0,5\n", 3, null, "4 fields where the header has 3")]
    [InlineData("x,y,label\n1,abc,0\n", 2, 3, "'abc' in column 'y' is not a number")]
    [InlineData("x,y,label\nNaN,1,0\n", 2, 1, "'NaN' in column 'x' is not finite")]
    [InlineData("x,y,label\n1,Infinity,0\n", 2, 3, "'Infinity' in column 'y' is not finite")]
    [InlineData("x,y,label\n1,1e999,0\n", 2, 3, "'1e999' in column 'y' is not finite")]
    [InlineData("x,y,label\n1,2,2\n", 2, 5, "label '2' is not 0 or 1")]
    [InlineData("x,y,label\n1,2,0.5\n", 2, 5, "label '0.5' is not 0 or 1")]
    [InlineData("x,y,label\n1,2,\n", 2, 5, "'' in column 'label' is not a number")]
    [InlineData("", 1, null, "the file is empty")]
    [InlineData("\n\n", 1, null, "the file is empty")]
    [InlineData("x,y,label\n", 1, null, "no data rows")]
    [InlineData("x,y,label\n1,2,0\n3,4,0\n", 3, null, "every row has label 0")]
    [InlineData("x,y,label\n1,2,1\n", 2, null, "every row has label 1")]
    public void Each_bad_input_names_line_column_and_what_is_expected(string text, int line, int? column, string message)
    {
        var problem = SingleProblem(text);
        Assert.Equal(line, problem.Line);
        Assert.Equal(column, problem.Column);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void Several_problems_are_reported_at_once_with_their_positions_in_the_message()
    {
        var e = Assert.Throws<DataFormatException>(() => Parse("x,y,label\n1,a,0\n2,3,7\n4,5,1\n"));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("data.csv:2:3:", e.Message);
        Assert.Contains("data.csv:3:5:", e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_user_error_naming_the_path()
    {
        var e = Assert.Throws<UserInputException>(() => CsvDatasetReader.Read("/nonexistent/data.csv"));
        Assert.Contains("/nonexistent/data.csv", e.Message);
    }

    [Fact]
    public void Garbage_rows_always_end_in_a_located_data_error_and_never_in_another_exception()
    {
        var faker = new Faker { Random = new Randomizer(1234) };
        for (int trial = 0; trial < 300; trial++)
        {
            int good = faker.Random.Int(0, 5);
            var lines = new List<string> { "x,y,label" };
            for (int i = 0; i < good; i++) lines.Add($"{faker.Random.Double(-5, 5):R},{faker.Random.Double(-5, 5):R},{i % 2}");
            int badLine = lines.Count + 1;
            lines.Add(faker.PickRandom(
                faker.Lorem.Sentence(),
                string.Join(",", faker.Lorem.Words(3)),
                $"{faker.Random.Double()},{faker.Random.AlphaNumeric(4)},1",
                $"{faker.Random.Double()},{faker.Random.Double()},{faker.Random.Int(2, 99)}",
                string.Join(",", Enumerable.Repeat("1", faker.Random.Int(4, 9))),
                faker.Random.Utf16String(1, 20).Replace("\n", " ").Replace("\r", " ") + ",1,0"));
            var e = Assert.Throws<DataFormatException>(() => Parse(string.Join("\n", lines)));
            Assert.Contains(e.Problems, p => p.Line == badLine);
        }
    }

    [Fact]
    public void Reads_a_file_written_by_the_writer_exactly()
    {
        var data = SpiralGenerator.Generate(new SpiralParameters(1_000, 2.0), 8);
        var path = Path.Combine(Path.GetTempPath(), $"harness-rt-{Guid.NewGuid():N}.csv");
        try
        {
            CsvDatasetWriter.Write(data, path);
            var back = CsvDatasetReader.Read(path);
            Assert.Equal(data.X, back.X);
            Assert.Equal(data.Y, back.Y);
            Assert.Equal(data.Label, back.Label);
            Assert.StartsWith("x,y,label\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
