using Harness.Core.Tracking;

namespace Harness.Tests.Unit.Tracking;

/// <summary>Credentials in a URL are masked wherever it is shown, and split off for authentication.</summary>
public class UrlRedactionTests
{
    [Theory]
    [InlineData("http://ada:s3cr3t@host:5000/x", "http://***@host:5000/x")]
    [InlineData("see 'https://token@mlflow.example.org' and http://b:c@d:1", "see 'https://***@mlflow.example.org' and http://***@d:1")]
    [InlineData("http://host:5000/a@b", "http://host:5000/a@b")]
    [InlineData("no url here", "no url here")]
    public void Every_user_info_is_masked_and_nothing_else(string text, string expected) =>
        Assert.Equal(expected, UrlRedaction.Redact(text));

    [Fact]
    public void Split_gives_the_bare_url_and_the_unescaped_credentials()
    {
        var (bare, user, password) = UrlRedaction.Split(new Uri("http://ada:p%40ss%3Aword@127.0.0.1:5000/"));
        Assert.Equal("http://127.0.0.1:5000/", bare.AbsoluteUri);
        Assert.Equal(("ada", "p@ss:word"), (user, password));
        Assert.Equal((null, null), (UrlRedaction.Split(new Uri("http://h:1/")).User, UrlRedaction.Split(new Uri("http://h:1/")).Password));
    }
}
