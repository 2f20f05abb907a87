using Harness.Core;
using Harness.Core.Specs;

namespace Harness.Tests.Unit.Specs;

/// <summary>The text under YamlDotNet: strict UTF-8 at a located byte, and where an unclosed bracket or quote opens.</summary>
public class YamlTextTests
{
    [Theory]
    [InlineData("a: [1, 2\nb: 3\n", 1, 4, '[')]
    [InlineData("a: 1\nb: { c: [1, 2], d: 4\n", 2, 4, '{')]
    [InlineData("a: 1 # [ not a bracket\nb: [x, 'y]\n", 2, 8, '\'')]
    [InlineData("a: [1, {b: 2}\n", 1, 4, '[')]
    public void The_first_bracket_or_quote_left_open_is_found(string text, int line, int column, char opener) =>
        Assert.Equal((line, column, opener), YamlText.UnclosedFlow(text));

    [Fact]
    public void An_invalid_utf8_byte_is_an_error_at_its_line_and_column_and_a_bom_is_allowed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"yaml-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllBytes(path, [.. "a: 1\nb: é"u8, 0xC3, 0x28, .. "\n"u8]);
            var error = Assert.Throws<UserInputException>(() => YamlText.ReadUtf8(path));
            Assert.Contains($"{path}:2:5", error.Message);
            Assert.Contains("0xC3", error.Message);
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "a: 1\n"u8]);
            Assert.Equal("a: 1\n", YamlText.ReadUtf8(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
