using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Onnx.Format;

namespace MinRnn.Onnx.Export;

public enum StateKind { Conv, H, C }

/// <summary>One recurrent state of an exported model: an optional graph input (zeros when not fed) and the graph output
/// that returns it after the last token. Shape (batch, ..Tail).</summary>
public sealed record StateSpec(int Layer, StateKind Kind, string Input, string Output, long[] Tail);

/// <summary>The names and shapes every exported model uses; loaders and the verifier read them from here.</summary>
public static class OnnxSignature
{
    public const string Tokens = Signature.Tokens;         // int64 (batch, time)
    public const string Lengths = Signature.Lengths;       // optional int64 (batch), each row's real length
    public const string Logits = Signature.Logits;         // float (batch, time, vocab)
    public const string Predictions = Signature.Predictions; // int64 (batch, time), argmax of logits

    /// <summary>The states in graph order: per layer, conv state (with a conv), h, and c (LSTM).</summary>
    public static IReadOnlyList<StateSpec> States(ModelConfig config)
    {
        var inner = config.CellOptions.Inner;
        var list = new List<StateSpec>();
        for (var l = 0; l < config.Layers; l++)
        {
            if (config.ConvKernel > 0)
                list.Add(new(l, StateKind.Conv, Signature.ConvState(l), Signature.Final(Signature.ConvState(l)), [config.ConvKernel - 1, config.Dim]));
            list.Add(new(l, StateKind.H, Signature.HiddenState(l), Signature.Final(Signature.HiddenState(l)), [inner]));
            if (CellKinds.Get(config.Cell).CarriesCellState)
                list.Add(new(l, StateKind.C, Signature.CellState(l), Signature.Final(Signature.CellState(l)), [inner]));
        }
        return list;
    }
}
