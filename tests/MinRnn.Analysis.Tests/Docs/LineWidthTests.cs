using MinRnn.Tests;

namespace MinRnn.Analysis.Tests.Docs;

/// <summary>Every .cs line in src/ and tests/ keeps the width .editorconfig gives (max_line_length of [*.cs]).</summary>
public class LineWidthTests
{
    [Fact]
    public void NoLineIsWiderThanTheEditorConfigSays()
    {
        var limit = MaxLineLength(Path.Combine(Repository.Root, ".editorconfig"));
        var wide = new[] { "src", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !Generated(file))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (File: file, Line: i + 1, line.Length)))
            .Where(l => l.Length > limit)
            .Select(l => $"{Path.GetRelativePath(Repository.Root, l.File)}:{l.Line}: {l.Length} characters (max_line_length {limit})")
            .ToList();
        Assert.True(wide.Count == 0, string.Join("\n", wide));
    }

    /// <summary>The max_line_length of the [*.cs] section.</summary>
    private static int MaxLineLength(string editorConfig)
    {
        string? section = null;
        foreach (var line in File.ReadLines(editorConfig).Select(l => l.Trim()))
        {
            if (line.StartsWith('[')) section = line;
            else if (section == "[*.cs]" && line.Split('=', 2) is [var key, var value] && key.Trim() == "max_line_length")
                return int.Parse(value.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"{editorConfig}: no max_line_length in [*.cs]");
    }

    /// <summary>Build output (bin/, obj/) is not the code base.</summary>
    private static bool Generated(string file) =>
        file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");
}
