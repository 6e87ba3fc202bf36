using System.Text.RegularExpressions;
using MinRnn.Cells;
using MinRnn.Cli;
using MinRnn.Scans;

namespace MinRnn.Tests.Cli;

/// <summary>docs/COMMANDS.md against the parsers' option lists (each command's OptionSet): every option a command accepts
/// is written under that command, and every option written there is accepted. A code span belongs to the command it starts
/// with (`minrnn train …`, `sweep --suite lm`), else to its table row (`minrnn COMMAND …` in the first cell) or its
/// `## COMMAND` section.</summary>
public partial class CommandsDocTests
{
    private const string Doc = "docs/COMMANDS.md";

    /// <summary>Every command takes these (MinRnn.Cli.Cli.Run answers them before the command's parser).</summary>
    private static readonly string[] Everywhere = ["--help", "-h"];

    private static readonly Dictionary<string, OptionSet> Accepted = global::MinRnn.Cli.Cli.Options.ToDictionary(c => c.Name, c => c.Options);

    [Fact]
    public void EveryAcceptedOptionIsDocumented()
    {
        var written = Mentions().ToLookup(m => m.Command, m => m.Option);
        var missing = Accepted.SelectMany(c => c.Value.All.Where(o => !written[c.Key].Contains(o))
            .Select(o => $"`minrnn {c.Key} {o}` is accepted but not in {Doc} (its row or `## {c.Key}` section)")).ToList();
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void EveryDocumentedOptionIsAccepted()
    {
        var unknown = Mentions().Where(m => !Accepted[m.Command].All.Contains(m.Option) && !Everywhere.Contains(m.Option))
            .Select(m => $"{Doc}:{m.Line}: `{m.Option}` is not an option of `minrnn {m.Command}`").ToList();
        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }

    /// <summary>Where the doc lists the choices of an option (`--model a|b|…`), it lists exactly what the parser takes.</summary>
    [Fact]
    public void ListedChoicesAreTheAcceptedOnes()
    {
        var choices = new Dictionary<string, string[]>
        {
            ["--model"] = [.. CellKinds.Names],
            ["--scan"] = [.. Enum.GetNames<ScanMode>().Select(n => n.ToLowerInvariant())],
        };
        var text = File.ReadAllText(Path.Combine(Repository.Root, Doc));
        var wrong = new List<string>();
        foreach (Match m in ChoiceList().Matches(text))
        {
            if (!choices.TryGetValue(m.Groups[1].Value, out var expected)) continue;
            var listed = m.Groups[2].Value.Replace("\\|", "|").Split('|');
            if (!listed.Order().SequenceEqual(expected.Order()))
                wrong.Add($"{Doc}:{LineOf(text, m.Index)}: `{m.Groups[1].Value} {string.Join("|", listed)}` but the parser takes {string.Join("|", expected)}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Contains("--model", text);                                  // the check above read something
    }

    private sealed record Mention(string Command, string Option, int Line);

    /// <summary>Every `--option` inside a code span, with the command it belongs to; spans of no command are skipped.</summary>
    private static IEnumerable<Mention> Mentions()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, Doc));
        string? section = null;
        var offset = 0;
        foreach (var block in Blocks(text))
        {
            if (block.StartsWith("## ", StringComparison.Ordinal)) section = FirstCommand(block[3..]);
            var place = block.StartsWith('|') ? FirstCommand(Cells(block).FirstOrDefault() ?? "") : section;
            foreach (Match span in CodeSpan().Matches(block))
            {
                var command = FirstCommand(span.Groups[1].Value) ?? place;
                if (command is null) continue;
                foreach (Match option in OptionName().Matches(span.Groups[1].Value))
                    yield return new Mention(command, option.Value, LineOf(text, offset + span.Index + option.Index));
            }
            offset += block.Length;
        }
    }

    /// <summary>Paragraphs, table rows and headings, each with its line breaks (a code span may cross one).</summary>
    private static IEnumerable<string> Blocks(string text)
    {
        var current = "";
        foreach (var line in text.Split('\n').Select(l => l + "\n"))
        {
            var starts = line.StartsWith('|') || line.StartsWith('#') || line.Trim().Length == 0;
            if (starts && current.Length > 0) { yield return current; current = ""; }
            current += line;
        }
        if (current.Length > 0) yield return current;
    }

    private static IEnumerable<string> Cells(string row) => Regex.Split(row.Trim().Trim('|'), @"(?<!\\)\|");

    /// <summary>The command a text starts with (`minrnn eval …`, `` `eval --data` ``, `study --suite lm`), else null.</summary>
    private static string? FirstCommand(string text)
    {
        var words = text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('`')).ToArray();
        var first = words.FirstOrDefault() == "minrnn" ? words.ElementAtOrDefault(1) : words.FirstOrDefault();
        return first is not null && Accepted.ContainsKey(first) ? first : null;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"(--[a-z-]+) ([a-z0-9-]+(?:\\?\|[a-z0-9-]+)+)")]
    private static partial Regex ChoiceList();
}
