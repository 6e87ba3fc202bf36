// minGRU: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3.1; Cells/MinGru.cs.
using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Onnx.Graph;

namespace MinRnn.Onnx.Export;

/// <summary>minGRU's gates as ONNX nodes; the recurrence is MinCellExport's.</summary>
internal sealed class MinGruExport : MinCellExport
{
    public override string Kind => "mingru";

    /// <summary>z = σ(k_z), h̃ = g(k_h): a = 1 − z (log a = −softplus(k_z)), b = z ⊙ h̃. 1 − z instead of σ(−k_z): one cheap
    /// op instead of two; exact for z ≥ ½, within the float spacing of 1 otherwise (a ≥ ½ there), and a + z = 1.</summary>
    protected override (string A, string B) Gates(GraphBuilder g, Weights w, string prefix, ModelConfig config, string x, bool logSpace)
    {
        var (kh, kz) = (Projection(g, w, prefix + MinGru.ProjectionName, 0, 2, x), Projection(g, w, prefix + MinGru.ProjectionName, 1, 2, x));
        var z = g.Sigmoid(kz);
        var a = logSpace ? g.Neg(Softplus(g, kz)) : g.Sub(g.Float(1f), z);
        return (a, g.Mul(z, G(g, kh)));
    }
}
