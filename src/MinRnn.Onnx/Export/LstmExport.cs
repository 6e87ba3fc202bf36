using MinRnn.Onnx.Graph;
using static TorchSharp.torch;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>The LSTM baseline (Cells/Lstm.cs, TorchSharp nn.LSTM) as the native ONNX LSTM op. PyTorch stacks the gates
/// i, f, g, o; ONNX i, o, f, c.</summary>
internal static class LstmExport
{
    /// <summary>Block k of the ONNX stack is block GateOrder[k] of PyTorch's: i ← 0, o ← 3, f ← 1, c ← 2.</summary>
    public static readonly int[] GateOrder = [0, 3, 1, 2];

    /// <summary>x (T, B, d) time-major, h0, c0 (B, H) → (y (T, B, d), h_T, c_T (B, H)). With `tokenInputs` U (V, d), x is
    /// one-hot tokens (T, B, V) instead and W becomes W·Uᵀ (FirstBlockTables).</summary>
    public static (string Y, string H, string C) Export(GraphBuilder g, Weights w, string prefix, string x, string h0, string c0,
        Tensor? tokenInputs = null, int[]? order = null)
    {
        order ??= GateOrder;
        var rnn = prefix + "rnn.";
        var hidden = w[rnn + "weight_hh_l0"].shape[1];
        var wi = g.Weight(rnn + "W", Weights.ByToken(Weights.ReorderGates(w[rnn + "weight_ih_l0"], order), tokenInputs).unsqueeze(0)); // (1, 4H, d | V)
        var wh = g.Weight(rnn + "R", Weights.ReorderGates(w[rnn + "weight_hh_l0"], order).unsqueeze(0));  // (1, 4H, H)
        var bias = cat([Weights.ReorderGates(w[rnn + "bias_ih_l0"], order), Weights.ReorderGates(w[rnn + "bias_hh_l0"], order)], 0);
        var b = g.Weight(rnn + "B", bias.unsqueeze(0));                                                  // (1, 8H)
        var outs = g.Op("LSTM", [x, wi, wh, b, "", g.Unsqueeze(h0, 0), g.Unsqueeze(c0, 0)], 3, Attr("hidden_size", hidden));
        var h = g.Squeeze(outs[0], 1);                                                   // (T, 1, B, H) → (T, B, H)
        var y = w.Has(prefix + "to_out.weight") ? g.MatMul(h, g.Weight(prefix + "to_out.weight_t", w.Right(prefix + "to_out.weight"))) : h;
        return (y, g.Squeeze(outs[1], 0), g.Squeeze(outs[2], 0));
    }
}
