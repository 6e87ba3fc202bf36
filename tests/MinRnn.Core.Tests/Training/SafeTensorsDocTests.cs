using System.Text.RegularExpressions;
using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tests.Training;

/// <summary>docs/FORMATS.md's safetensors table against real exports (SafeTensors.SaveModel, what `minrnn export --format
/// safetensors` writes) of every kind, plain and with every option: each tensor name written is in the table (block index
/// as `L`), and each name in the table is written by some export.</summary>
public partial class SafeTensorsDocTests
{
    private const string Doc = "docs/FORMATS.md";

    /// <summary>Per kind: one layer at width 8 (expansion 1, token ids); two layers of numeric steps with expansion 1.5, conv,
    /// feed-forward and a forget bias (the transformer with 3 heads: 4 do not split its inner width 18).</summary>
    private static IEnumerable<ModelConfig> Configs() => CellKinds.Names.SelectMany(kind => new[]
    {
        new ModelConfig(kind, Layers: 1, Vocab: 6, Dim: 8),
        new ModelConfig(kind, Layers: 2, Vocab: 7, Dim: 12, Expansion: 1.5, ConvKernel: 3, FeedForwardMult: 2, ForgetBias: 3,
            Heads: CellKinds.Get(kind).Options.HasFlag(CellOption.Heads) ? 3 : null, Features: 3),
    });

    [Fact]
    public void EveryExportedNameIsDocumentedAndEveryDocumentedNameIsExported()
    {
        var documented = DocumentedNames();
        var exported = Configs().SelectMany(c => Exported(c).Select(name => (c.Cell, Name: name))).ToList();

        var undocumented = exported.Where(e => !documented.Contains(e.Name)).Select(e => $"{e.Cell}: `{e.Name}`").Distinct().ToList();
        Assert.True(undocumented.Count == 0, $"{Doc} (Safetensors weights) lacks the tensors {string.Join(", ", undocumented)}");
        var stale = documented.Except(exported.Select(e => e.Name)).ToList();
        Assert.True(stale.Count == 0, $"{Doc} (Safetensors weights) names tensors no export writes: {string.Join(", ", stale)}");
    }

    /// <summary>The names a safetensors export of the config holds, block indices as `L`.</summary>
    private static IEnumerable<string> Exported(ModelConfig config)
    {
        random.manual_seed(1);
        using var model = new SequenceModel(config);
        using var tmp = new TempFolder();
        SafeTensors.SaveModel(model, tmp["w.safetensors"]);
        var (tensors, _) = SafeTensors.Read(tmp["w.safetensors"]);
        foreach (var t in tensors.Values) t.Dispose();
        return [.. tensors.Keys.Select(name => BlockIndex().Replace(name, "blocks.L."))];
    }

    /// <summary>Every code span of the first column of the table under "## Safetensors weights".</summary>
    private static HashSet<string> DocumentedNames()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, Doc));
        var rows = lines.SkipWhile(l => l != "## Safetensors weights").Skip(1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .Skip(2).ToList();                                                              // header and separator
        Assert.NotEmpty(rows);
        return [.. rows.SelectMany(r => CodeSpan().Matches(r.Split(" | ")[0]).Select(m => m.Groups[1].Value))];
    }

    [GeneratedRegex(@"^blocks\.\d+\.")]
    private static partial Regex BlockIndex();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
