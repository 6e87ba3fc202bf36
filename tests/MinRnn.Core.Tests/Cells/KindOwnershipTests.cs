using System.Text.RegularExpressions;
using MinRnn.Cells;

namespace MinRnn.Tests.Cells;

/// <summary>A kind's cell type is named only in its own files: under src/MinRnn.Core/Cells/ and in files whose name starts
/// with the type's (its exporter, MambaExport.cs). Everything else reaches a kind through the registry and the cells'
/// capabilities (IMinCell, IUnrollingCell, IAttentionCell), so a new kind needs no edit there.</summary>
public class KindOwnershipTests
{
    [Theory]
    [MemberData(nameof(CellCases.All), MemberType = typeof(CellCases))]
    public void OnlyTheKindsOwnFilesNameItsCellType(string name)
    {
        using var cell = CellKinds.Get(name).Create(new CellOptions(4, Heads: 2));
        var type = cell.GetType().Name;
        var named = TypeUse(type);
        var src = Path.Combine(Repository.Root, "src");
        var registry = Path.Combine(src, "MinRnn.Core", "Cells", "CellKinds.cs");
        Assert.Contains(File.ReadLines(registry), line => named.IsMatch(Code(line)));      // the scan sees the registry's `new T(o)`
        var strangers = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => !f.StartsWith(Path.Combine(src, "MinRnn.Core", "Cells") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith(type, StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Code: Code(line))))
            .Where(l => named.IsMatch(l.Code))
            .Select(l => $"{Path.GetRelativePath(Repository.Root, l.File)}:{l.Line}")
            .ToList();
        Assert.True(strangers.Count == 0, $"{type} is named outside its own files: {string.Join(", ", strangers)}");
    }

    /// <summary>A use of type `t` (not a member that shares its name, as a property `Retention` would): new t, is t, as t,
    /// case t, (t) casts, typeof(t), t.Member, &lt;t&gt;, and declarations `t name =`, `t name;`, `t name,`, `t name)`.</summary>
    private static Regex TypeUse(string t) => new(
        $@"(?<![\w.])(?:(?:new|is|is not|as|case)\s+{t}\b|\({t}\)|typeof\({t}\)|{t}\s*\.(?=[A-Za-z_])|<{t}>|{t}\s+[A-Za-z_]\w*\s*(?:=>|[=;,)]))");

    /// <summary>The line without its comment and string literals (a kind may be mentioned in words).</summary>
    private static string Code(string line)
    {
        var code = line.TrimStart().StartsWith("//", StringComparison.Ordinal) ? "" : line;
        return Regex.Replace(code, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    }
}
