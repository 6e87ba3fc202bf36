using MinRnn.Onnx.Graph;
using static TorchSharp.torch;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>The GRU baseline (Cells/Gru.cs, TorchSharp nn.GRU) as the native ONNX GRU op. PyTorch stacks the gates
/// r, z, n; ONNX z, r, h. PyTorch applies r after the recurrent product, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
/// which is ONNX's linear_before_reset = 1.</summary>
internal sealed class GruExport : NativeCellExport
{
    public override string Kind => "gru";

    public override (string Y, string[] States) Export(CellExportInput input, string[] initial)
    {
        var (x, byToken) = CellExport.NativeInput(input);
        var lens = input.Lengths is { } lengths ? LengthsExport.SequenceLens(input.G, lengths) : null;
        var (y, h) = Export(input.G, input.W, input.Prefix, x, initial[0], byToken, sequenceLens: lens);
        return (y, [h]);
    }

    /// <summary>Block k of the ONNX stack is block GateOrder[k] of PyTorch's: z ← 1, r ← 0, h ← 2.</summary>
    public static readonly int[] GateOrder = [1, 0, 2];

    /// <summary>x (T, B, d) time-major, h0 (B, H) → (y (T, B, d), h_T (B, H)). With `tokenInputs` U (V, d), x is one-hot
    /// tokens (T, B, V) instead and W becomes W·Uᵀ (FirstBlockTables). The order and linear_before_reset arguments exist
    /// for the test that proves wrong choices fail. With `sequenceLens` (B) int32, h_T is each row's state at its own length.</summary>
    public static (string Y, string State) Export(GraphBuilder g, Weights w, string prefix, string x, string h0,
        Tensor? tokenInputs = null, int[]? order = null, long linearBeforeReset = 1, string? sequenceLens = null)
    {
        order ??= GateOrder;
        var (hidden, wi, wh, b) = CellExport.NativeRnnWeights(g, w, prefix, order, tokenInputs);
        var outs = g.Op("GRU", [x, wi, wh, b, sequenceLens ?? "", g.Unsqueeze(h0, 0)], 2,
            Attr("hidden_size", hidden), Attr("linear_before_reset", linearBeforeReset));
        var h = g.Squeeze(outs[0], 1);                                                   // (T, 1, B, H) → (T, B, H)
        return (CellExport.OutProjection(g, w, prefix, h), g.Squeeze(outs[1], 0));
    }
}
