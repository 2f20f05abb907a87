namespace Harness.Tests.Support;

/// <summary>Edits of fixture texts that fail loudly: a replacement whose text is absent would test the unedited file.</summary>
public static class SpecText
{
    /// <summary>The text with every occurrence of find replaced; throws when find does not occur.</summary>
    public static string Edit(this string text, string find, string replace)
    {
        if (!text.Contains(find, StringComparison.Ordinal))
            throw new InvalidOperationException($"the fixture text does not contain \"{find}\": the test would run on the unedited " +
                                                "text. Update the test to the fixture as it is now.");
        return text.Replace(find, replace, StringComparison.Ordinal);
    }
}
