using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MinRnn.ML.Tokens;

/// <summary>A text model's alphabet (task option <c>alphabet</c>: its characters in code-point order; docs/OWN_DATA.md),
/// as the code points the graph's lookup compares against. Null for a model that reads token ids only.</summary>
internal static class TextAlphabet
{
    public static int[]? Of(SequenceModelInfo info) =>
        info.TaskOptions.TryGetValue("form", out var form) && form == "text" && info.TaskOptions.TryGetValue("alphabet", out var alphabet)
            ? [.. alphabet.EnumerateRunes().Select(r => r.Value)]
            : null;

    /// <summary>A text's characters (Unicode scalar values, as <c>minrnn</c> reads a JSON string) as int64; an empty text fails.</summary>
    public static long[] CodePoints(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) throw new InvalidTokenSequenceException("MinRnn: empty text; every row needs at least one character");
        var points = new List<long>(text.Length);
        foreach (var rune in text.EnumerateRunes()) points.Add(rune.Value);
        return [.. points];
    }
}

#pragma warning disable CS1591 // plumbing for ML.NET's reflection
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TextRow { [ColumnName(ComponentColumns.Input)] public ReadOnlyMemory<char> Text { get; set; } }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CodePointRow { [ColumnName(ComponentColumns.CodePoints), VectorType] public long[] Points { get; set; } = []; }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClassSlotsRow { [ColumnName(ComponentColumns.ClassSlots), VectorType(1)] public long[] Slots { get; set; } = []; }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClassSlotRow { [ColumnName(ComponentColumns.ClassSlot)] public long Slot { get; set; } }
#pragma warning restore CS1591

/// <summary>Text → its characters' code points (the graph maps them to ids with the model's alphabet); an empty text fails.</summary>
[CustomMappingFactoryAttribute(TokenContracts.FromText)]
public sealed class CodePointsFromText : CustomMappingFactory<TextRow, CodePointRow>
{
    /// <inheritdoc/>
    public override Action<TextRow, CodePointRow> GetMapping() => (src, dst) => dst.Points = TextAlphabet.CodePoints(src.Text.Span);
}

/// <summary>The classify answer's slot, a vector of one (how ML.NET's OnnxTransformer gives a [batch] output), as a scalar
/// for the value mapping that makes it the PredictedLabel key.</summary>
[CustomMappingFactoryAttribute(TokenContracts.ClassSlot)]
public sealed class ClassSlotFromVector : CustomMappingFactory<ClassSlotsRow, ClassSlotRow>
{
    /// <inheritdoc/>
    public override Action<ClassSlotsRow, ClassSlotRow> GetMapping() => (src, dst) => dst.Slot = src.Slots[0];
}
