// minLSTM: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3.2; Cells/MinLstm.cs.
using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Onnx.Graph;

namespace MinRnn.Onnx.Export;

/// <summary>minLSTM's gates as ONNX nodes; the recurrence is MinCellExport's.</summary>
internal sealed class MinLstmExport : MinCellExport
{
    public override string Kind => "minlstm";

    /// <summary>f = σ(k_f), i = σ(k_i), h̃ = g(k_h); a = f, b = i ⊙ h̃, or normalised a = f' = f/(f+i), b = i' ⊙ h̃ with
    /// i' = i/(f+i) = 1 − f'. The scan form writes f' = I/(F + I) with F = 1/f = 1 + e^(−k_f), I = 1/i = 1 + e^(−k_i)
    /// (the projections give −k_f, −k_i directly): no 0/0 where both gates underflow. The exponents are clipped at 88 so
    /// that F + I stays a finite float; that changes f' only where both k_f and k_i are below −88 (both gates under
    /// 10⁻³⁸), where it leans towards ½ — as the fused float32 CPU scan does below −88.4, where it clamps σ's argument.
    /// i' = 1 − f' is exact for f' ≥ ½ and keeps a + i' = 1. The chunked form takes log f' = −softplus(d), log i' = −softplus(−d),
    /// d = softplus(−k_f) − softplus(−k_i).</summary>
    protected override (string A, string B) Gates(GraphBuilder g, Weights w, string prefix, ModelConfig config, string x, bool logSpace)
    {
        var linear = prefix + MinLstm.ProjectionName;
        var hTilde = G(g, Projection(g, w, linear, 0, 3, x));
        if (config.NormalizeGates && !logSpace)
        {
            string Reciprocal(int gate) =>                                                  // 1/σ(k) = 1 + e^(−k)
                g.Add(g.Exp(g.Op("Clip", Projection(g, w, linear, gate, 3, x, negate: true), "", g.Float(88f))), g.Float(1f));
            var (invF, invI) = (Reciprocal(1), Reciprocal(2));                              // F = 1/f, I = 1/i
            var a = g.Div(invI, g.Add(invF, invI));                                         // f' = I/(F + I)
            return (a, g.Mul(g.Sub(g.Float(1f), a), hTilde));
        }
        var (kf, ki) = (Projection(g, w, linear, 1, 3, x), Projection(g, w, linear, 2, 3, x));
        if (!config.NormalizeGates)
            return (logSpace ? g.Neg(Softplus(g, g.Neg(kf))) : g.Sigmoid(kf), g.Mul(g.Sigmoid(ki), hTilde));
        var d = SoftplusDifference(g, g.Neg(kf), g.Neg(ki));
        return (g.Neg(Softplus(g, d)), g.Mul(g.Sigmoid(d), hTilde));
    }
}
