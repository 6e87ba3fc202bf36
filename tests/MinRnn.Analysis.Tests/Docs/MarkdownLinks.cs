using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MinRnn.Analysis.Tests.Docs;

/// <summary>A relative link of a markdown file: where it points (a path, an anchor, or both) and its line.</summary>
public sealed record MarkdownLink(string File, int Line, string Path, string? Anchor);

/// <summary>Reads the links and headings of markdown files as GitHub renders them, and lists the links that point
/// nowhere: a missing file or folder, or an anchor that is no heading of its target.</summary>
public static partial class MarkdownLinks
{
    // [text](target) and ![alt](target), an optional "title" after the target.
    [GeneratedRegex("""!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+"[^"]*")?\)""")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("^ {0,3}#{1,6}\\s+(?<text>.*?)(?:\\s+#+)?\\s*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex("`+[^`]*`+")]
    private static partial Regex CodeSpanPattern();

    /// <summary>The lines of a markdown text outside fenced code blocks, with their 1-based numbers.</summary>
    public static IEnumerable<(int Line, string Text)> LinesOutsideFences(string markdown)
    {
        var fenced = false;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.TrimStart().StartsWith("```")) { fenced = !fenced; continue; }
            if (!fenced) yield return (i + 1, line);
        }
    }

    /// <summary>The relative links of a file, outside code; external ones (http, https, mailto) are skipped, not
    /// fetched.</summary>
    public static IEnumerable<MarkdownLink> Links(string file, string markdown)
    {
        foreach (var (line, text) in LinesOutsideFences(markdown))
            foreach (Match m in LinkPattern().Matches(CodeSpanPattern().Replace(text, code => new string(' ', code.Length))))
            {
                var target = m.Groups["target"].Value;
                if (target.StartsWith("http:") || target.StartsWith("https:") || target.StartsWith("mailto:")) continue;
                var hash = target.IndexOf('#');
                var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
                yield return new MarkdownLink(file, line, path, hash < 0 ? null : target[(hash + 1)..]);
            }
    }

    /// <summary>The anchors of a file's headings: each heading's slug, with "-1", "-2", … on repeats.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>();
        var seen = new Dictionary<string, int>();
        foreach (var (_, text) in LinesOutsideFences(markdown))
        {
            var m = HeadingPattern().Match(text);
            if (!m.Success) continue;
            var slug = Slug(m.Groups["text"].Value);
            var repeat = seen.GetValueOrDefault(slug);
            seen[slug] = repeat + 1;
            anchors.Add(repeat == 0 ? slug : $"{slug}-{repeat}");
        }
        return anchors;
    }

    /// <summary>GitHub's heading anchor: lower case; letters, marks, numbers, '_', '-' and spaces kept, every other
    /// character dropped; each space becomes '-'. A heading's link text counts, its link target does not.</summary>
    public static string Slug(string heading)
    {
        heading = LinkPattern().Replace(heading, m => m.Groups["text"].Value);
        var slug = new StringBuilder();
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            var kind = char.GetUnicodeCategory(c);
            if (c == ' ') slug.Append('-');
            else if (c == '-' || char.IsLetter(c) || kind is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
                     or UnicodeCategory.OtherNumber or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                     or UnicodeCategory.EnclosingMark or UnicodeCategory.ConnectorPunctuation)
                slug.Append(c);
        }
        return slug.ToString();
    }

    /// <summary>Every link of the files (paths relative to root) that points nowhere, as "file:line: why".</summary>
    public static IReadOnlyList<string> Broken(string root, IEnumerable<string> files)
    {
        var problems = new List<string>();
        var inside = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(root)) + System.IO.Path.DirectorySeparatorChar;
        foreach (var file in files)
        {
            var full = System.IO.Path.Combine(root, file);
            var markdown = File.ReadAllText(full);
            foreach (var link in Links(file, markdown))
            {
                var where = $"{file}:{link.Line}: ({link.Path}{(link.Anchor is null ? "" : "#" + link.Anchor)})";
                var target = link.Path.Length == 0 ? full : System.IO.Path.GetFullPath(link.Path, System.IO.Path.GetDirectoryName(full)!);
                if (!target.StartsWith(inside)) { problems.Add($"{where} leaves the repository"); continue; }
                if (!File.Exists(target) && !Directory.Exists(target)) { problems.Add($"{where} no such file or folder"); continue; }
                if (link.Anchor is null) continue;
                if (!target.EndsWith(".md") || !File.Exists(target)) { problems.Add($"{where} an anchor into a file that is not markdown"); continue; }
                if (!Anchors(File.ReadAllText(target)).Contains(link.Anchor)) problems.Add($"{where} no such heading");
            }
        }
        return problems;
    }
}
