using System.Text;

namespace Harness.Core.Specs;

/// <summary>
/// The text of a YAML file before YamlDotNet reads it: strict UTF-8 (an invalid byte is an error at its line and
/// column, not a silent U+FFFD), and where an unclosed flow bracket or quote opens, for the scanner's position-less error.
/// </summary>
public static class YamlText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string ReadUtf8(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var text = Strict.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text; // a UTF-8 byte-order mark is allowed
        }
        catch (DecoderFallbackException e)
        {
            int offset = Math.Clamp(e.Index, 0, bytes.Length);
            int line = 1, lineStart = 0;
            for (int i = 0; i < offset; i++)
                if (bytes[i] == (byte)'\n') { line++; lineStart = i + 1; }
            var before = Encoding.UTF8.GetString(bytes, lineStart, offset - lineStart); // valid up to the bad byte
            throw new UserInputException($"{path}:{line}:{before.Length + 1}: not UTF-8 text (byte 0x{bytes[offset]:X2}); " +
                                         "save the file as UTF-8.");
        }
    }

    /// <summary>The line, column and character of the first '[', '{' or quote still open at the end (or 1:1 if none).</summary>
    public static (int Line, int Column, char Opener) UnclosedFlow(string text)
    {
        var open = new Stack<(int Line, int Column, char Opener)>();
        char? quote = null;
        (int, int) quoteAt = (1, 1);
        int line = 1, column = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
                continue;
            }
            if (quote is { } q)
            {
                if (c == q) quote = null;
                continue;
            }
            if (c == '#' && (i == 0 || char.IsWhiteSpace(text[i - 1])))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++; // a comment runs to the end of its line
                continue;
            }
            if (c is '"' or '\'' && (i == 0 || text[i - 1] is ' ' or '[' or '{' or ',' or ':' or '\t' or '\n'))
            {
                quote = c;
                quoteAt = (line, column);
            }
            else if (c is '[' or '{') open.Push((line, column, c));
            else if (c is ']' or '}' && open.Count > 0) open.Pop();
        }
        if (quote is { } unclosed) return (quoteAt.Item1, quoteAt.Item2, unclosed);
        return open.Count > 0 ? open.Last() : (1, 1, '[');
    }
}
