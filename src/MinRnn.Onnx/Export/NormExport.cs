using MinRnn.Onnx.Graph;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>RMSNorm (Layers/RmsNorm.cs): x / max(‖x‖₂, 1e-12) · √d · γ (torch's F.normalize), written as
/// x / √(mean(x²) + ε) · γ with ε = (1e-12)² / d: the same function wherever ‖x‖₂ ≫ 1e-12 (both are 0 at x = 0), and the
/// Pow → ReduceMean → Add → Sqrt → Div → Mul pattern that ONNX Runtime fuses into one SimplifiedLayerNormalization
/// kernel (one pass over x instead of four).</summary>
internal static class NormExport
{
    public static string RmsNorm(GraphBuilder g, Weights w, string prefix, string x)
    {
        var gamma = w[prefix + "gamma"];
        var d = gamma.shape[0];
        var meanSquare = g.Op("ReduceMean", [g.Op("Pow", x, g.Float(2f))], Attr("axes", [-1L]), Attr("keepdims", 1L));
        var rms = g.Op("Sqrt", g.Add(meanSquare, g.Float((float)(1e-24 / d))));
        return g.Mul(g.Div(x, rms), g.Weight(prefix + "gamma", gamma));
    }
}
