using Harness.Core.Data;

namespace Harness.Tests.Unit.Data;

public class DatasetFingerprintTests
{
    private static Dataset Tiny() => new("tiny", [1.5, -2.0, 0.0], [3.25, 4.0, -0.0], [0, 1, 1]);

    [Fact]
    public void Fingerprint_is_stable_across_versions_of_the_code()
    {
        // A frozen value: changing the canonical form must be a deliberate, visible decision.
        // Computed independently (Python: sha256 of "harness-dataset-v1", int64 LE row count, then per row
        // struct.pack("<ddB", x, y, label)).
        Assert.Equal("sha256:149113527ae48ba72cb7cf11401a8c1d7dfcd0e6e29b54708be53290eb13cff0", Tiny().Fingerprint);
    }

    [Fact]
    public void Fingerprint_changes_with_any_value_label_or_order()
    {
        var baseline = Tiny().Fingerprint;
        Assert.NotEqual(baseline, new Dataset("tiny", [1.5, -2.0, 0.0], [3.25, 4.0, 1e-9], [0, 1, 1]).Fingerprint);
        Assert.NotEqual(baseline, new Dataset("tiny", [1.5, -2.0, 0.0], [3.25, 4.0, 0.0], [0, 1, 0]).Fingerprint);
        Assert.NotEqual(baseline, new Dataset("tiny", [-2.0, 1.5, 0.0], [4.0, 3.25, 0.0], [1, 0, 1]).Fingerprint);
    }

    [Fact]
    public void Fingerprint_ignores_the_name_and_the_sign_of_zero()
    {
        Assert.Equal(Tiny().Fingerprint, new Dataset("other", [1.5, -2.0, -0.0], [3.25, 4.0, 0.0], [0, 1, 1]).Fingerprint);
    }

    [Fact]
    public void Fingerprint_survives_a_CSV_round_trip()
    {
        var data = SpiralGenerator.Generate(new SpiralParameters(2_000, 2.5), 17);
        var path = Path.Combine(Path.GetTempPath(), $"harness-fp-{Guid.NewGuid():N}.csv");
        try
        {
            CsvDatasetWriter.Write(data, path);
            Assert.Equal(data.Fingerprint, CsvDatasetReader.Read(path).Fingerprint);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
