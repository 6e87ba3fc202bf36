using System.Text.RegularExpressions;
using MinRnn.Cells;

namespace MinRnn.Tests.Cells;

/// <summary>A kind's cell type is named only in its own files: under src/MinRnn.Core/Cells/ and in files whose name starts
/// with the type's (its exporter, MambaExport.cs). Everything else reaches a kind through the registry and the cells'
/// capabilities (IMinCell, IUnrollingCell, IAttentionCell), so a new kind needs no edit there.</summary>
public class KindOwnershipTests
{
    /// <summary>Words before a name that make it a use of the type, not a member declared with that name.</summary>
    private static readonly HashSet<string> Keywords =
    [
        "public", "private", "protected", "internal", "static", "readonly", "sealed", "override", "virtual", "abstract", "const",
        "new", "is", "as", "case", "return", "in", "out", "ref", "params", "await", "yield", "else", "not", "or", "and", "throw",
        "using", "where", "when", "async", "operator", "implicit", "explicit", "event", "partial", "extern", "unsafe", "volatile",
    ];

    [Theory]
    [MemberData(nameof(CellCases.All), MemberType = typeof(CellCases))]
    public void OnlyTheKindsOwnFilesNameItsCellType(string name)
    {
        using var cell = CellKinds.Get(name).Create(new CellOptions(4, Heads: 2));
        var type = cell.GetType().Name;
        var src = Path.Combine(Repository.Root, "src");
        var registry = Path.Combine(src, "MinRnn.Core", "Cells", "CellKinds.cs");
        Assert.NotEmpty(Uses(File.ReadAllText(registry), type));                                 // the scan sees the registry's `new T(o)`
        var strangers = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => !f.StartsWith(Path.Combine(src, "MinRnn.Core", "Cells") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith(type, StringComparison.Ordinal))
            .SelectMany(f => Uses(File.ReadAllText(f), type).Select(line => $"{Path.GetRelativePath(Repository.Root, f)}:{line}"))
            .ToList();
        Assert.True(strangers.Count == 0, $"{type} is named outside its own files: {string.Join(", ", strangers)}");
    }

    [Fact]
    public void TheScanTellsUsesOfATypeFromMembersThatShareItsName()
    {
        const string source = """
            var a = (Mamba)cell; if (cell is Mamba m) { }  // Mamba in a comment
            static Mamba Make() => new("Mamba");
            IEnumerable<Mamba> all = xs.OfType<Mamba>(); Func<int, Mamba> f;
            x switch { Mamba => 1, _ => 0 };
            record Curve(int Layer, double Mamba); var y = curve.Mamba; Call(Mamba: 2);
            """;
        Assert.Equal([1, 1, 2, 3, 3, 3, 4], Uses(source, "Mamba"));
    }

    /// <summary>The lines (1-based) where `type` is used in code: not in comments or literals, not after a dot (a member),
    /// not as a named argument, not as a member declared with that name (a type word before it).</summary>
    private static List<int> Uses(string source, string type)
    {
        var code = SourceText.Code(source);
        var lines = new List<int>();
        foreach (Match m in Regex.Matches(code, $@"(?<![\w.]){type}\b"))
        {
            if (Regex.IsMatch(code[(m.Index + m.Length)..Math.Min(code.Length, m.Index + m.Length + 8)], @"^\s*:(?!:)")) continue;
            var previous = Regex.Match(code[Math.Max(0, m.Index - 80)..m.Index], @"(\w+)[?\]\[>]*\s+$");
            if (previous.Success && !Keywords.Contains(previous.Groups[1].Value)) continue;
            lines.Add(code[..m.Index].Count(ch => ch == '\n') + 1);
        }
        return lines;
    }
}
