using MinRnn.Models;
using MinRnn.Onnx.Format;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Export;

/// <summary>What a state holds: the block's conv inputs, the cell's h or c (for the transformer h is the key–value cache),
/// or the count of cached positions per row (the transformer's).</summary>
public enum StateKind { Conv, H, C, Positions }

/// <summary>One recurrent state of an exported model: an optional graph input (`Default` everywhere when not fed) and the
/// graph output that returns it after the last token. Shape (batch, ..Tail); a Tail entry of
/// <see cref="Signature.GrowingDim"/> is a dimension that grows with the sequence (symbolic in the graph).</summary>
public sealed record StateSpec(int Layer, StateKind Kind, string Input, string Output, long[] Tail, float Default = 0f)
{
    /// <summary>The full shape of `elements` values for `batch` rows, the growing dimension (if any) solved for; a
    /// one-line ArgumentException when they do not fit.</summary>
    public long[] Shape(int batch, long elements)
    {
        var fixedSize = batch * Tail.Where(d => d != Signature.GrowingDim).Aggregate(1L, (p, d) => p * d);
        var grown = fixedSize == 0 ? 0 : elements / fixedSize;
        long[] shape = [batch, .. Tail.Select(d => d == Signature.GrowingDim ? grown : d)];
        if (shape.Aggregate(1L, (p, d) => p * d) != elements)
            throw new ArgumentException($"{Input}: {elements} values, expected ({string.Join(", ", [$"{batch}", .. Tail.Select(d => d == Signature.GrowingDim ? "n" : $"{d}")])})");
        return shape;
    }
}

/// <summary>The names and shapes every exported model uses; loaders and the verifier read them from here.</summary>
public static class OnnxSignature
{
    public const string Tokens = Signature.Tokens;         // int64 (batch, time)
    public const string Lengths = Signature.Lengths;       // optional int64 (batch), each row's real length
    public const string Logits = Signature.Logits;         // float (batch, time, vocab)
    public const string Predictions = Signature.Predictions; // int64 (batch, time), argmax of logits

    /// <summary>The states in graph order: per layer, conv state (with a conv), then the cell's (its exporter's
    /// CellStates: h, and c for the LSTM).</summary>
    public static IReadOnlyList<StateSpec> States(ModelConfig config)
    {
        var exporter = CellExporters.For(config.Cell);
        var list = new List<StateSpec>();
        for (var l = 0; l < config.Layers; l++)
        {
            if (config.ConvKernel > 0)
                list.Add(new(l, StateKind.Conv, Signature.ConvState(l), Signature.Final(Signature.ConvState(l)), [config.ConvKernel - 1, config.Dim]));
            list.AddRange(exporter.CellStates(config, l));
        }
        return list;
    }

    /// <summary>A state of the kind `kind` at layer `layer`, named by `name(layer)`.</summary>
    internal static StateSpec Cell(int layer, StateKind kind, Func<int, string> name, long[] tail, float defaultValue = 0f) =>
        new(layer, kind, name(layer), Signature.Final(name(layer)), tail, defaultValue);

    /// <summary>The TorchSharp tensor that state `s` exports, from the model's state of its block: (batch, ..Tail).</summary>
    public static Tensor Reference(StateSpec s, BlockState block) => s.Kind switch
    {
        StateKind.Conv => block.Conv!,
        StateKind.C => block.Cell.C!,
        StateKind.Positions => full(block.Cell.H.shape[0], block.Cell.H.shape[1], dtype: float32),
        _ => block.Cell.H,
    };
}
