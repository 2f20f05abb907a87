using System.Security.Cryptography;

namespace Harness.Tests.Golden;

/// <summary>
/// The exact layer: the whole golden pipeline run twice in one process gives identical bytes, for every result record
/// and every artifact (g's checkpoints included) but the one that holds measured seconds (timing.csv); that file
/// still has the same rows.
/// </summary>
[Collection("torch")]
public class DeterminismTests(GoldenFixture golden) : IClassFixture<GoldenFixture>
{
    [Fact]
    public void Running_the_same_specs_again_gives_identical_results_and_checkpoints()
    {
        var outputs = Path.Combine(Path.GetTempPath(), $"harness-golden-again-{Guid.NewGuid():N}");
        try
        {
            var again = GoldenFixture.Run(outputs);
            Assert.Equal(golden.Results.Keys.Order(), again.Keys.Order());
            foreach (var (id, first) in golden.Results)
            {
                var second = again[id];
                Assert.Equal(first.Record.Result!.ToJsonString(), second.Record.Result!.ToJsonString());
                var files = Directory.GetFiles(first.Directory).Select(Path.GetFileName)
                    .Where(f => f is not "result.json").Order().ToList();
                Assert.Equal(files, Directory.GetFiles(second.Directory).Select(Path.GetFileName).Where(f => f is not "result.json").Order());
                foreach (var name in files.Where(f => f == Harness.Experiments.Kinds.CompareOutput.TimingFile))
                    Assert.Equal(Rows(Path.Combine(first.Directory, name!)), Rows(Path.Combine(second.Directory, name!)));
                foreach (var name in files.Where(f => f != Harness.Experiments.Kinds.CompareOutput.TimingFile))
                    Assert.True(Hash(Path.Combine(first.Directory, name!)) == Hash(Path.Combine(second.Directory, name!)),
                        $"{id}/{name} differs between two runs of the same spec");
            }
            Assert.Contains(golden.Results, r => File.Exists(Path.Combine(r.Value.Directory, "g-best.pt")));
        }
        finally
        {
            if (Directory.Exists(outputs)) Directory.Delete(outputs, true);
        }
    }

    /// <summary>The first column of timing.csv, row by row (its seconds differ between runs).</summary>
    private static string[] Rows(string path) => File.ReadAllLines(path).Select(l => l.Split(',')[0]).ToArray();

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
