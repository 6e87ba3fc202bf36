using MinRnn.Models;
using MinRnn.Onnx.Format;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Export;

/// <summary>Which tensor of a block's state an exported state is: the block's conv state, the cell's h, the LSTM cell
/// state c, or the cell's own conv state (Mamba's conv1d).</summary>
public enum StateKind { Conv, H, C, CellConv }

/// <summary>One recurrent state of an exported model: an optional graph input (zeros when not fed) and the graph output
/// that returns it after the last token. Shape (batch, ..Tail).</summary>
public sealed record StateSpec(int Layer, StateKind Kind, string Input, string Output, long[] Tail)
{
    /// <summary>The same state in TorchSharp: this spec's tensor of its layer's BlockState.</summary>
    public Tensor Of(BlockState block) => Kind switch
    {
        StateKind.Conv => block.Conv!,
        StateKind.C => block.Cell.C!,
        StateKind.CellConv => block.Cell.Conv!,
        _ => block.Cell.H,
    };
}

/// <summary>The names and shapes every exported model uses; loaders and the verifier read them from here.</summary>
public static class OnnxSignature
{
    public const string Tokens = Signature.Tokens;         // int64 (batch, time)
    public const string Lengths = Signature.Lengths;       // optional int64 (batch), each row's real length
    public const string Logits = Signature.Logits;         // float (batch, time, vocab)
    public const string Predictions = Signature.Predictions; // int64 (batch, time), argmax of logits

    /// <summary>The states in graph order: per layer, the block's conv state (with a conv), then the cell's states as its
    /// exporter declares them (h, then c or the cell's conv state).</summary>
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
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a block state, not a cell's"),
    };
}
