using Harness.Core.Reporting;

namespace Harness.Tests.Unit.Reporting;

public class MarkdownHtmlTests
{
    [Fact]
    public void Pipe_tables_headings_and_emphasis_become_html_in_a_standalone_page()
    {
        var html = MarkdownHtml.Render("a <b> & c", "### T = 100 steps\n\n| optimizer | loss |\n|---|---|\n| **g** | 0.1 |\n");
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>a &lt;b&gt; &amp; c</title>", html);
        Assert.Contains("<h3", html);
        Assert.Contains("<table>", html);
        Assert.Contains("<th>optimizer</th>", html);
        Assert.Contains("<td><strong>g</strong></td>", html);
        Assert.DoesNotContain("|---|", html);
        Assert.DoesNotContain("http", html); // nothing remote: the artifact view shows it offline
    }
}
