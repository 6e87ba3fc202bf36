using MinRnn.Onnx.Graph;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>The chunked form of h_t = a_t ⊙ h_{t−1} + b_t: time is padded to a multiple of C with a = 1, b = 0 (so the
/// state after the padding is h_T) and cut into chunks; a Scan carries h across chunks, and inside a chunk, with
/// A_t = Σ_{s≤t} log a_s (within the chunk),
///     h_t = Σ_{j≤t} exp(A_t − A_j) ⊙ b_j + exp(A_t) ⊙ h_start,
/// a masked C × C segment sum per channel in which every exponent is ≤ 0: stable for any T, parallel within a chunk.</summary>
internal static class ChunkedScanExport
{
    /// <summary>log a, b (T, B, n) time-major, h0 (B, n) → (all h (T, B, n), h_T (B, n)).</summary>
    public static (string H, string State) Export(GraphBuilder g, string logA, string b, string h0, int chunk)
    {
        long c = chunk;
        var time = g.Shape(logA, 0, 1);                                                  // [T]
        var pad = g.Op("Mod", g.Sub(g.Ints([c]), g.Op("Mod", time, g.Ints([c]))), g.Ints([c]));
        var pads = g.Concat(0, g.Ints([0, 0, 0]), pad, g.Ints([0, 0]));
        var chunked = g.Concat(0, g.Ints([-1, c]), g.Shape(logA, 1));                    // [N, C, B, n]
        var la = g.Op("Reshape", g.Op("Pad", logA, pads, g.Float(0f)), chunked);
        var bb = g.Op("Reshape", g.Op("Pad", b, pads, g.Float(0f)), chunked);

        var outs = g.Op("Scan", [h0, la, bb], 2, Attr("body", Body(g, c)), Attr("num_scan_inputs", 2L));
        var all = g.Op("Reshape", outs[1], g.Concat(0, g.Ints([-1]), g.Shape(logA, 1)));  // (N·C, B, n)
        var h = g.Op("Slice", all, g.Ints([0]), time, g.Ints([0]));
        return (h, outs[0]);
    }

    private static GraphProto Body(GraphBuilder parent, long c)
    {
        var g = parent.Subgraph("chunk");
        var (hStart, la, b) = (g.Fresh("h_start"), g.Fresh("log_a"), g.Fresh("b"));
        g.Input(hStart, TensorProto.Types.DataType.Float, "batch", "inner");
        g.Input(la, TensorProto.Types.DataType.Float, c, "batch", "inner");
        g.Input(b, TensorProto.Types.DataType.Float, c, "batch", "inner");

        var a = g.Op("CumSum", la, g.Ints([0], scalar: true));                           // A_t, (C, B, n)
        var diff = g.Sub(g.Unsqueeze(a, 1), g.Unsqueeze(a, 0));                          // A_t − A_j, (C, C, B, n)
        var mask = g.Floats([.. Enumerable.Range(0, (int)(c * c)).Select(k => k % c <= k / c ? 0f : float.NegativeInfinity)], [c, c, 1, 1]);
        var weights = g.Exp(g.Add(diff, mask));                                          // j > t: exp(finite − ∞) = 0
        var sum = g.Op("ReduceSum", [g.Mul(weights, g.Unsqueeze(b, 0)), g.Ints([1])], Attr("keepdims", 0L));
        var h = g.Add(sum, g.Mul(g.Exp(a), hStart));                                     // (C, B, n)
        var last = g.Op("Gather", [h, g.Ints([c - 1], scalar: true)], Attr("axis", 0L));

        g.Output(last, TensorProto.Types.DataType.Float, "batch", "inner");
        g.Output(h, TensorProto.Types.DataType.Float, c, "batch", "inner");
        return g.Graph;
    }
}
