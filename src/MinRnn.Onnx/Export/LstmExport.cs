using MinRnn.Onnx.Graph;
using static TorchSharp.torch;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>The LSTM baseline (Cells/Lstm.cs, TorchSharp nn.LSTM) as the native ONNX LSTM op. PyTorch stacks the gates
/// i, f, g, o; ONNX i, o, f, c.</summary>
internal sealed class LstmExport : NativeCellExport
{
    public override string Kind => "lstm";

    public override (string Y, string[] States) Export(CellExportInput input, string[] initial)
    {
        var (x, byToken) = CellExport.NativeInput(input);
        var lens = input.Lengths is { } lengths ? LengthsExport.SequenceLens(input.G, lengths) : null;
        var (y, h, c) = Export(input.G, input.W, input.Prefix, x, initial[0], initial[1], byToken, sequenceLens: lens);
        return (y, [h, c]);
    }

    /// <summary>Block k of the ONNX stack is block GateOrder[k] of PyTorch's: i ← 0, o ← 3, f ← 1, c ← 2.</summary>
    public static readonly int[] GateOrder = [0, 3, 1, 2];

    /// <summary>x (T, B, d) time-major, h0, c0 (B, H) → (y (T, B, d), h_T, c_T (B, H)). With `tokenInputs` U (V, d), x is
    /// one-hot tokens (T, B, V) instead and W becomes W·Uᵀ (FirstBlockTables). With `sequenceLens` (B) int32, h_T and c_T
    /// are each row's states at its own length.</summary>
    public static (string Y, string H, string C) Export(GraphBuilder g, Weights w, string prefix, string x, string h0, string c0,
        Tensor? tokenInputs = null, int[]? order = null, string? sequenceLens = null)
    {
        order ??= GateOrder;
        var (hidden, wi, wh, b) = CellExport.NativeRnnWeights(g, w, prefix, order, tokenInputs);
        var outs = g.Op("LSTM", [x, wi, wh, b, sequenceLens ?? "", g.Unsqueeze(h0, 0), g.Unsqueeze(c0, 0)], 3, Attr("hidden_size", hidden));
        var h = g.Squeeze(outs[0], 1);                                                   // (T, 1, B, H) → (T, B, H)
        return (CellExport.OutProjection(g, w, prefix, h), g.Squeeze(outs[1], 0), g.Squeeze(outs[2], 0));
    }
}
