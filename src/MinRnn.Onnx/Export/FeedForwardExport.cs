using MinRnn.Onnx.Graph;

namespace MinRnn.Onnx.Export;

/// <summary>GEGLU feed-forward (Layers/FeedForward.cs): W_out (u ⊙ gelu(v)) + b_out, [u, v] = W_in x + b_in, with the exact
/// GELU v · ½ (1 + erf(v / √2)) (opset 17 has no Gelu op).</summary>
internal static class FeedForwardExport
{
    public static string Export(GraphBuilder g, Weights w, string prefix, string x)
    {
        var (wIn, bIn) = (w[prefix + "proj_in.weight"], w[prefix + "proj_in.bias"]);
        var inner = wIn.shape[0] / 2;
        var u = g.Add(g.MatMul(x, g.Weight(prefix + "proj_in.u.weight_t", wIn.narrow(0, 0, inner).t())), g.Weight(prefix + "proj_in.u.bias", bIn.narrow(0, 0, inner)));
        var v = g.Add(g.MatMul(x, g.Weight(prefix + "proj_in.v.weight_t", wIn.narrow(0, inner, inner).t())), g.Weight(prefix + "proj_in.v.bias", bIn.narrow(0, inner, inner)));
        var erf = g.Op("Erf", g.Mul(v, g.Float((float)(1 / Math.Sqrt(2)))));
        var gelu = g.Mul(g.Mul(v, g.Float(0.5f)), g.Add(erf, g.Float(1f)));
        var h = g.MatMul(g.Mul(u, gelu), g.Weight(prefix + "proj_out.weight_t", w.Right(prefix + "proj_out.weight")));
        return g.Add(h, g.Weight(prefix + "proj_out.bias", w[prefix + "proj_out.bias"]));
    }
}
