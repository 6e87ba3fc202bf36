// minGRU / minLSTM: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3; Cells/MinGru.cs, Cells/MinLstm.cs.
using MinRnn.Models;
using MinRnn.Onnx.Graph;
using Onnx;
using static TorchSharp.torch;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>A min cell as whole-sequence MatMuls and elementwise gates, then the recurrence h_t = a_t ⊙ h_{t−1} + b_t
/// as one Scan over a (scan form) or chunk-parallel over log a (chunked form).</summary>
internal static class MinCellExport
{
    /// <summary>x (T, B, d) time-major, h0 (B, inner) → (y (T, B, d), h_T (B, inner)).</summary>
    public static (string Y, string State) Export(GraphBuilder g, Weights w, string prefix, ModelConfig config, OnnxExportOptions options, string x, string h0)
    {
        var logSpace = options.Form == OnnxForm.Chunked;
        var (a, b) = config.Cell == "mingru" ? MinGruGates(g, w, prefix, x, logSpace) : MinLstmGates(g, w, prefix, config.NormalizeGates, x, logSpace);
        var (h, hT) = logSpace ? ChunkedScanExport.Export(g, a, b, h0, options.ChunkSize) : ScanForm(g, a, b, h0);
        return (CellExport.OutProjection(g, w, prefix, h), hT);
    }

    /// <summary>The first block in the scan form with a and b tabulated per token (FirstBlockTables): tokens (T, B) →
    /// (y (T, B, d), h_T (B, inner)).</summary>
    public static (string Y, string State) ExportTabulated(GraphBuilder g, Weights w, string prefix, (Tensor A, Tensor B) byToken, string tokens, string h0)
    {
        var a = g.Op("Gather", [g.Weight(prefix + "a_by_token", byToken.A), tokens], Attr("axis", 0L));
        var b = g.Op("Gather", [g.Weight(prefix + "b_by_token", byToken.B), tokens], Attr("axis", 0L));
        var (h, hT) = ScanForm(g, a, b, h0);
        return (CellExport.OutProjection(g, w, prefix, h), hT);
    }

    /// <summary>z = σ(k_z), h̃ = g(k_h): a = 1 − z (log a = −softplus(k_z)), b = z ⊙ h̃. 1 − z instead of σ(−k_z): one cheap
    /// op instead of two; exact for z ≥ ½, within the float spacing of 1 otherwise (a ≥ ½ there), and a + z = 1.</summary>
    private static (string A, string B) MinGruGates(GraphBuilder g, Weights w, string prefix, string x, bool logSpace)
    {
        var (kh, kz) = (Projection(g, w, prefix + "to_hidden_and_gate", 0, 2, x), Projection(g, w, prefix + "to_hidden_and_gate", 1, 2, x));
        var z = g.Sigmoid(kz);
        var a = logSpace ? g.Neg(Softplus(g, kz)) : g.Sub(g.Float(1f), z);
        return (a, g.Mul(z, G(g, kh)));
    }

    /// <summary>f = σ(k_f), i = σ(k_i), h̃ = g(k_h); a = f, b = i ⊙ h̃, or normalised a = f' = f/(f+i), b = i' ⊙ h̃ with
    /// i' = i/(f+i) = 1 − f'. The scan form writes f' = I/(F + I) with F = 1/f = 1 + e^(−k_f), I = 1/i = 1 + e^(−k_i)
    /// (the projections give −k_f, −k_i directly): no 0/0 where both gates underflow. The exponents are clipped at 88 so
    /// that F + I stays a finite float; that changes f' only where both k_f and k_i are below −88 (both gates under
    /// 10⁻³⁸), where it leans towards ½ — as the fused float32 CPU scan does below −88.4, where it clamps σ's argument.
    /// i' = 1 − f' is exact for f' ≥ ½ and keeps a + i' = 1. The chunked form takes log f' = −softplus(d), log i' = −softplus(−d),
    /// d = softplus(−k_f) − softplus(−k_i).</summary>
    private static (string A, string B) MinLstmGates(GraphBuilder g, Weights w, string prefix, bool normalize, string x, bool logSpace)
    {
        var linear = prefix + "to_hidden_and_gates";
        var hTilde = G(g, Projection(g, w, linear, 0, 3, x));
        if (normalize && !logSpace)
        {
            string Reciprocal(int gate) =>                                                  // 1/σ(k) = 1 + e^(−k)
                g.Add(g.Exp(g.Op("Clip", Projection(g, w, linear, gate, 3, x, negate: true), "", g.Float(88f))), g.Float(1f));
            var (invF, invI) = (Reciprocal(1), Reciprocal(2));                              // F = 1/f, I = 1/i
            var a = g.Div(invI, g.Add(invF, invI));                                         // f' = I/(F + I)
            return (a, g.Mul(g.Sub(g.Float(1f), a), hTilde));
        }
        var (kf, ki) = (Projection(g, w, linear, 1, 3, x), Projection(g, w, linear, 2, 3, x));
        if (!normalize)
            return (logSpace ? g.Neg(Softplus(g, g.Neg(kf))) : g.Sigmoid(kf), g.Mul(g.Sigmoid(ki), hTilde));
        var d = SoftplusDifference(g, g.Neg(kf), g.Neg(ki));
        return (g.Neg(Softplus(g, d)), g.Mul(g.Sigmoid(d), hTilde));
    }

    /// <summary>Chunk `index` of `parts` of a Linear's output rows, as its own MatMul (+ bias), negated if asked (the
    /// weights are): (T, B, d) → (T, B, inner). Separate products cost the same as one and need no Split.</summary>
    private static string Projection(GraphBuilder g, Weights w, string linear, int index, int parts, string x, bool negate = false)
    {
        var (weight, sign, name) = (w[linear + ".weight"], negate ? -1 : 1, negate ? "neg_weight_t" : "weight_t");
        var rows = weight.shape[0] / parts;
        var y = g.MatMul(x, g.Weight($"{linear}.{name}.{index}", weight.narrow(0, index * rows, rows).t() * sign));
        return w.Has(linear + ".bias") ? g.Add(y, g.Weight($"{linear}.{(negate ? "neg_bias" : "bias")}.{index}", w[linear + ".bias"].narrow(0, index * rows, rows) * sign)) : y;
    }

    /// <summary>g(x) = x + 0.5 for x ≥ 0, σ(x) otherwise (Scans/MinGates.cs), as max(x + 0.5, σ(x)): the same function
    /// (σ lies below its tangent 0.5 + x/4 for x > 0 and above it for x < 0), in three ops and without a Where.</summary>
    private static string G(GraphBuilder g, string x) =>
        g.Op("Max", g.Add(x, g.Float(0.5f)), g.Sigmoid(x));

    /// <summary>softplus(x) = relu(x) + log(1 + exp(−|x|)): never overflows, and about 10× faster in ORT's CPU kernels
    /// than the Softplus op.</summary>
    public static string Softplus(GraphBuilder g, string x) =>
        g.Add(g.Op("Relu", x), g.Op("Log", OnePlusExpNegAbs(g, x)));

    /// <summary>softplus(u) − softplus(v) = relu(u) − relu(v) + log((1 + exp(−|u|)) / (1 + exp(−|v|))): one Log, not two.</summary>
    private static string SoftplusDifference(GraphBuilder g, string u, string v) =>
        g.Add(g.Sub(g.Op("Relu", u), g.Op("Relu", v)), g.Op("Log", g.Div(OnePlusExpNegAbs(g, u), OnePlusExpNegAbs(g, v))));

    private static string OnePlusExpNegAbs(GraphBuilder g, string x) => g.Add(g.Exp(g.Neg(g.Op("Abs", x))), g.Float(1f));

    /// <summary>One Scan over time whose body is h = a ⊙ h + b; a, b (T, B, inner) → (all h (T, B, inner), h_T). The body
    /// emits a ⊙ h_prev per step and the whole sequence adds b back afterwards in one vectorised Add: ORT needs each per-step
    /// output to be a value of its own (a repeated output name or a body input as output break it), and this way the body
    /// is two nodes instead of Mul, Add and an Identity — per-step node dispatch is most of a Scan's time.</summary>
    private static (string H, string State) ScanForm(GraphBuilder g, string a, string b, string h0)
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
