using System.Net;
using Markdig;

namespace Harness.Core.Reporting;

/// <summary>
/// A Markdown artifact as a standalone HTML page (pipe tables, headings, emphasis), because MLflow's artifact view
/// renders HTML but shows Markdown as raw text. The page carries its own small stylesheet and nothing remote.
/// </summary>
public static class MarkdownHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().Build();

    private const string Style = """
        body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; font-size: 14px; margin: 16px; color: #1f272d; }
        table { border-collapse: collapse; margin: 8px 0 16px; }
        th, td { border: 1px solid #d1d9e1; padding: 4px 8px; text-align: left; white-space: nowrap; }
        th { background: #f5f7f9; }
        tr:nth-child(even) td { background: #fafbfc; }
        h1, h2, h3 { margin: 20px 0 8px; }
        """;

    public static string Render(string title, string markdown) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{WebUtility.HtmlEncode(title)}</title>
        <style>
        {Style}
        </style>
        </head>
        <body>
        {Markdown.ToHtml(markdown, Pipeline).TrimEnd()}
        </body>
        </html>

        """;
}
