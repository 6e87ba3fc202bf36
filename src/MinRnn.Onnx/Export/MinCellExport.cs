// minGRU / minLSTM: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3; Cells/MinGru.cs, Cells/MinLstm.cs.
using MinRnn.Models;
using MinRnn.Onnx.Graph;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>A min cell as whole-sequence MatMuls and elementwise gates, then the recurrence h_t = a_t ⊙ h_{t−1} + b_t
/// as one Scan (scan form) or chunk-parallel (chunked form). Both forms read the gates as (s, b) with a = σ(−s),
/// log a = −softplus(s): minGRU s = k_z; minLSTM normalised s = softplus(−k_f) − softplus(−k_i); otherwise s = −k_f.</summary>
internal static class MinCellExport
{
    /// <summary>x (T, B, d) time-major, h0 (B, inner) → (y (T, B, d), h_T (B, inner)).</summary>
    public static (string Y, string State) Export(GraphBuilder g, Weights w, string prefix, ModelConfig config, OnnxExportOptions options, string x, string h0)
    {
        var (s, b) = config.Cell == "mingru" ? MinGruGates(g, w, prefix, x) : MinLstmGates(g, w, prefix, config.NormalizeGates, x);
        var (h, hT) = options.Form == OnnxForm.Scan
            ? ScanForm(g, g.Sigmoid(g.Neg(s)), b, h0)
            : ChunkedScanExport.Export(g, g.Neg(g.Op("Softplus", s)), b, h0, options.ChunkSize);
        var y = w.Has(prefix + "to_out.weight") ? g.MatMul(h, g.Weight(prefix + "to_out.weight_t", w.Right(prefix + "to_out.weight"))) : h;
        return (y, hT);
    }

    /// <summary>z = σ(k_z), h̃ = g(k_h): s = k_z (a = 1 − z), b = z ⊙ h̃.</summary>
    private static (string S, string B) MinGruGates(GraphBuilder g, Weights w, string prefix, string x)
    {
        var name = prefix + "to_hidden_and_gate.weight";                                 // rows [k_h | k_z]
        var inner = w[name].shape[0] / 2;
        var k = g.MatMul(x, g.Weight(name + "_t", w.Right(name)));                        // (T, B, 2·inner)
        var parts = g.Op("Split", [k, g.Ints([inner, inner])], 2, Attr("axis", 2L));
        var (kh, kz) = (parts[0], parts[1]);
        return (kz, g.Mul(g.Sigmoid(kz), G(g, kh)));
    }

    /// <summary>f = σ(k_f), i = σ(k_i), h̃ = g(k_h); normalised f' = σ(−d), i' = σ(d), d = softplus(−k_f) − softplus(−k_i).</summary>
    private static (string S, string B) MinLstmGates(GraphBuilder g, Weights w, string prefix, bool normalize, string x)
    {
        var name = prefix + "to_hidden_and_gates.weight";                                // rows [k_h | k_f | k_i]
        var inner = w[name].shape[0] / 3;
        var k = g.MatMul(x, g.Weight(name + "_t", w.Right(name)));                        // (T, B, 3·inner)
        if (w.Has(prefix + "to_hidden_and_gates.bias"))                                  // forget bias ≠ 0
            k = g.Add(k, g.Weight(prefix + "to_hidden_and_gates.bias", w[prefix + "to_hidden_and_gates.bias"]));
        var parts = g.Op("Split", [k, g.Ints([inner, inner, inner])], 3, Attr("axis", 2L));
        var (kh, kf, ki) = (parts[0], parts[1], parts[2]);
        if (!normalize)
            return (g.Neg(kf), g.Mul(g.Sigmoid(ki), G(g, kh)));
        var d = g.Sub(g.Op("Softplus", g.Neg(kf)), g.Op("Softplus", g.Neg(ki)));
        return (d, g.Mul(g.Sigmoid(d), G(g, kh)));
    }

    /// <summary>g(x) = x + 0.5 for x ≥ 0, σ(x) otherwise (Scans/MinGates.cs).</summary>
    private static string G(GraphBuilder g, string x) =>
        g.Op("Where", g.Op("GreaterOrEqual", x, g.Float(0f)), g.Add(x, g.Float(0.5f)), g.Sigmoid(x));

    /// <summary>One Scan over time whose body is h = a ⊙ h + b; a, b (T, B, inner) → (all h (T, B, inner), h_T).</summary>
    private static (string H, string State) ScanForm(GraphBuilder g, string a, string b, string h0)
    {
        var body = g.Subgraph("recurrence");
        var (hPrev, at, bt) = (body.Fresh("h_prev"), body.Fresh("a_t"), body.Fresh("b_t"));
        foreach (var v in new[] { hPrev, at, bt }) body.Input(v, TensorProto.Types.DataType.Float, "batch", "inner");
        var h = body.Add(body.Mul(at, hPrev), bt);
        var hOut = body.Op("Identity", h);
        body.Output(h, TensorProto.Types.DataType.Float, "batch", "inner");
        body.Output(hOut, TensorProto.Types.DataType.Float, "batch", "inner");
        var outs = g.Op("Scan", [h0, a, b], 2, Attr("body", body.Graph), Attr("num_scan_inputs", 2L));
        return (outs[1], outs[0]);
    }
}
