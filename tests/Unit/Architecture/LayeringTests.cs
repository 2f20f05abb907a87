namespace Harness.Tests.Unit.Architecture;

/// <summary>
/// The library's lower layers do not know how experiments files are read or hashed: Data, Models, Learned and Meta
/// import nothing from Specs (settings validate themselves through Configuration; checkpoints use its JSON form).
/// </summary>
public class LayeringTests
{
    [Theory]
    [InlineData("Data")]
    [InlineData("Models")]
    [InlineData("Learned")]
    [InlineData("Meta")]
    public void A_lower_layer_imports_nothing_from_Specs(string folder)
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src", "Core", folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).ToList();
        Assert.NotEmpty(files);
        var offenders = files.Where(f => File.ReadAllText(f).Contains("Harness.Core.Specs", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f)).ToList();
        Assert.Empty(offenders);
    }
}
