using MinRnn.Cells;
using MinRnn.Models;

namespace MinRnn.Onnx.Export;

public enum StateKind { Conv, H, C }

/// <summary>One recurrent state of an exported model: an optional graph input (zeros when not fed) and the graph output
/// that returns it after the last token. Shape (batch, ..Tail).</summary>
public sealed record StateSpec(int Layer, StateKind Kind, string Input, string Output, long[] Tail);

/// <summary>The names and shapes every exported model uses; loaders and the verifier read them from here.</summary>
public static class OnnxSignature
{
    public const string Tokens = "tokens";           // int64 (batch, time)
    public const string Logits = "logits";           // float (batch, time, vocab)
    public const string Predictions = "predictions"; // int64 (batch, time), argmax of logits

    /// <summary>The states in graph order: per layer, conv state (with a conv), h, and c (LSTM).</summary>
    public static IReadOnlyList<StateSpec> States(ModelConfig config)
    {
        var inner = config.CellOptions.Inner;
        var list = new List<StateSpec>();
        for (var l = 0; l < config.Layers; l++)
        {
            if (config.ConvKernel > 0)
                list.Add(new(l, StateKind.Conv, $"conv_state_{l}", $"final_conv_state_{l}", [config.ConvKernel - 1, config.Dim]));
            list.Add(new(l, StateKind.H, $"state_h_{l}", $"final_state_h_{l}", [inner]));
            if (CellKinds.Get(config.Cell).CarriesCellState)
                list.Add(new(l, StateKind.C, $"state_c_{l}", $"final_state_c_{l}", [inner]));
        }
        return list;
    }
}
