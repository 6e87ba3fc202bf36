using MinRnn.Onnx.Graph;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>The scan form of h_t = a_t ⊙ h_{t−1} + b_t: one ONNX Scan over time whose body is two nodes.</summary>
internal static class ScanExport
{
    /// <summary>a, b (T, B, n) time-major, h0 (B, n) → (all h (T, B, n), h_T (B, n)). The body emits a ⊙ h_prev per step
    /// and the whole sequence adds b back afterwards in one vectorised Add: ORT needs each per-step output to be a value
    /// of its own (a repeated output name or a body input as output break it), and this way the body is two nodes
    /// instead of Mul, Add and an Identity — per-step node dispatch is most of a Scan's time.</summary>
    public static (string H, string State) Export(GraphBuilder g, string a, string b, string h0)
    {
        var body = g.Subgraph("recurrence");
        var (hPrev, at, bt) = (body.Fresh("h_prev"), body.Fresh("a_t"), body.Fresh("b_t"));
        foreach (var v in new[] { hPrev, at, bt }) body.Input(v, TensorProto.Types.DataType.Float, "batch", "inner");
        var carried = body.Mul(at, hPrev);
        body.Output(body.Add(carried, bt), TensorProto.Types.DataType.Float, "batch", "inner");
        body.Output(carried, TensorProto.Types.DataType.Float, "batch", "inner");
        var outs = g.Op("Scan", [h0, a, b], 2, Attr("body", body.Graph), Attr("num_scan_inputs", 2L));
        return (g.Add(outs[1], b), outs[0]);
    }
}
