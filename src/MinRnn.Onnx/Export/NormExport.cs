using MinRnn.Onnx.Graph;

namespace MinRnn.Onnx.Export;

/// <summary>RMSNorm (Layers/RmsNorm.cs): x / max(‖x‖₂, 1e-12) · √d · γ, torch's F.normalize with the scale folded into γ.</summary>
internal static class NormExport
{
    public static string RmsNorm(GraphBuilder g, Weights w, string prefix, string x)
    {
        var gamma = w[prefix + "gamma"];
        var scaled = g.Weight(prefix + "gamma_x_sqrt_d", gamma * Math.Sqrt(gamma.shape[0]));
        var norm = g.Op("ReduceL2", [x], GraphBuilder.Attr("axes", [-1L]), GraphBuilder.Attr("keepdims", 1L));
        var safe = g.Op("Max", norm, g.Float(1e-12f));
        return g.Mul(g.Div(x, safe), scaled);
    }
}
