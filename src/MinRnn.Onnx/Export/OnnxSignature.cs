using MinRnn.Models;
using MinRnn.Onnx.Format;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Export;

/// <summary>Which tensor of a block's state an exported state is: the block's conv state, the cell's h (the transformer's
/// key–value cache), the LSTM cell state c, the cell's own conv state (Mamba's conv1d), or the count of each row's cached
/// positions (the transformer's).</summary>
public enum StateKind { Conv, H, C, CellConv, Positions }

/// <summary>One recurrent state of an exported model: an optional graph input (<see cref="Default"/> everywhere when not
/// fed) and the graph output that returns it after the last token. Shape (batch, ..Tail); a Tail entry of
/// <see cref="Signature.GrowingDim"/> is a dimension that grows with the sequence (symbolic in the graph).</summary>
public sealed record StateSpec(int Layer, StateKind Kind, string Input, string Output, long[] Tail)
{
    /// <summary>The value of every element when the input is not fed: zeros; for a position count +∞, which the graph
    /// clamps to the fed cache's length (a caller that carries the cache alone over full rows is right too).</summary>
    public float Default => Kind == StateKind.Positions ? float.PositiveInfinity : 0f;

    /// <summary>The same state in TorchSharp: this spec's tensor of its layer's BlockState (the position count: the
    /// length of the cache, every row full).</summary>
    public Tensor Of(BlockState block) => Kind switch
    {
        StateKind.Conv => block.Conv!,
        StateKind.C => block.Cell.C!,
        StateKind.CellConv => block.Cell.Conv!,
        StateKind.Positions => full(block.Cell.H.shape[0], block.Cell.H.shape[1], dtype: float32),
        _ => block.Cell.H,
    };

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
    public const string Features = Signature.Features;     // float (batch, time, F), a numeric model's input in place of tokens
    public const string Lengths = Signature.Lengths;       // optional int64 (batch), each row's real length
    public const string Logits = Signature.Logits;         // float (batch, time, vocab)
    public const string Predictions = Signature.Predictions; // int64 (batch, time), argmax of logits

    /// <summary>The states in graph order: per layer, the block's conv state (with a conv), then the cell's states as its
    /// exporter declares them (h, then c, the cell's conv state or the position count).</summary>
    public static IReadOnlyList<StateSpec> States(ModelConfig config)
    {
        var cellStates = CellExporters.For(config.Cell).States(config);
        var list = new List<StateSpec>();
        for (var l = 0; l < config.Layers; l++)
        {
            if (config.ConvKernel > 0)
                list.Add(new(l, StateKind.Conv, Signature.ConvState(l), Signature.Final(Signature.ConvState(l)), [config.ConvKernel - 1, config.Dim]));
            foreach (var (kind, tail) in cellStates)
            {
                var name = Name(kind, l);
                list.Add(new(l, kind, name, Signature.Final(name), tail));
            }
        }
        return list;
    }

    private static string Name(StateKind kind, int layer) => kind switch
    {
        StateKind.H => Signature.HiddenState(layer),
        StateKind.C => Signature.CellState(layer),
        StateKind.CellConv => Signature.CellConvState(layer),
        StateKind.Positions => Signature.PositionState(layer),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a block state, not a cell's"),
    };
}
