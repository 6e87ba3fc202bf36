// Mamba (S6): Gu & Dao 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", arXiv 2312.00752, §3.2
// and Algorithm 2; Cells/Mamba.cs, Scans/SelectiveScan.cs.
using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Onnx.Graph;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>The Mamba mixer as whole-sequence ops around one recurrence: [x, z] = in_proj(u), u' = SiLU(conv1d(x)),
/// [δ, B, C] = x_proj(u'), Δ = softplus(dt_proj(δ)), then h_t = a_t ⊙ h_{t−1} + b_t with a = exp(ΔA), b = Δ B u' as full
/// (T, B, E, N) tensors, flattened to (T, B, E·N) for the min cells' scan (scan form: the two-node Scan body) or chunked
/// scan (chunked form: log a = ΔA exactly, no log of a coefficient; b of either sign is fine, the chunked sum is linear in
/// b), and after it y = C·h + D ⊙ u', out = out_proj(y ⊙ SiLU(z)). States: h (B, E, N) and the conv's last k − 1 inputs
/// (B, k − 1, E). The first block's in_proj can be tabulated per token (FirstBlockTables); the conv makes everything after
/// it depend on the last k tokens, so nothing more can.</summary>
internal sealed class MambaExport : ICellExporter
{
    public string Kind => "mamba";

    public string Form(OnnxExportOptions options) => options.Form.ToString().ToLowerInvariant();

    public bool Tabulates(OnnxExportOptions options) => true;

    public IReadOnlyList<(StateKind Kind, long[] Tail)> States(ModelConfig config) =>
        [(StateKind.H, [config.CellOptions.Inner, config.CellOptions.StateSize]), (StateKind.CellConv, [Mamba.ConvKernel - 1, config.CellOptions.Inner])];

    public (string Y, string[] States) Export(CellExportInput input, string[] initial)
    {
        var (g, w, p) = (input.G, input.W, input.Prefix);
        var (inner, n) = (input.Config.CellOptions.Inner, (long)input.Config.CellOptions.StateSize);
        var rank = Mamba.DeltaRank(input.Config.Dim);
        var (x, z) = InProjection(input, inner);                                        // (T, B, E) each
        var (conv, convState) = ConvExport.Export(g, w, p + Mamba.Conv + ".", Mamba.ConvKernel, x, initial[1], input.Lengths?.Lengths);
        var u = Silu(g, conv);
        var (delta, b, c) = (Linear(g, w, p + Mamba.XProj, u, 0, rank), Linear(g, w, p + Mamba.XProj, u, rank, n), Linear(g, w, p + Mamba.XProj, u, rank + n, n));
        var dt = MinCellExport.Softplus(g, Linear(g, w, p + Mamba.DtProj, delta, 0, inner)); // Δ (T, B, E)
        if (input.Lengths is { } lengths) dt = g.Op("Where", lengths.Valid, dt, g.Float(0f));   // Δ = 0: a = 1, b = 0, h kept

        var logA = g.Mul(g.Unsqueeze(dt, 3), g.Weight(p + "A", -w[p + Mamba.ALog].exp()));   // ΔA (T, B, E, N)
        var bx = g.Mul(g.Unsqueeze(g.Mul(dt, u), 3), g.Unsqueeze(b, 2));                 // Δ u B (T, B, E, N)
        var h0 = g.Op("Reshape", initial[0], g.Ints([0, -1]));                           // (B, E·N)
        var (flatA, flatB) = (g.Op("Reshape", logA, g.Ints([0, 0, -1])), g.Op("Reshape", bx, g.Ints([0, 0, -1])));
        var (hs, hT) = input.Options.Form == OnnxForm.Chunked
            ? ChunkedScanExport.Export(g, flatA, flatB, h0, input.Options.ChunkSize)
            : ScanExport.Export(g, g.Exp(flatA), flatB, h0);
        var h = g.Op("Reshape", hs, g.Ints([0, 0, inner, n]));                           // (T, B, E, N)
        var y = g.Squeeze(g.MatMul(h, g.Unsqueeze(c, 3)), 3);                            // C·h (T, B, E)
        y = g.Add(y, g.Mul(u, g.Weight(p + Mamba.DName, w[p + Mamba.DName])));
        var output = Linear(g, w, p + Mamba.OutProj, g.Mul(y, Silu(g, z)), 0, input.Config.Dim);
        return (output, [g.Op("Reshape", hT, g.Ints([0, inner, n])), convState]);
    }

    /// <summary>x and z, the two halves of in_proj(u): from the block's normalised input, or for a tabulated first block
    /// gathered by token from in_proj applied to each token's cell input (FirstBlockTables).</summary>
    private static (string X, string Z) InProjection(CellExportInput input, long inner)
    {
        var (g, w, linear) = (input.G, input.W, input.Prefix + Mamba.InProj);
        if (input.X is { } u) return (Linear(g, w, linear, u, 0, inner), Linear(g, w, linear, u, inner, inner));
        var byToken = Weights.ByToken(w[linear + ".weight"], FirstBlockTables.CellInputs(input.Model)).t();   // (V, 2E)
        string Gather(string half, long start) =>
            g.Op("Gather", [g.Weight($"{linear}.{half}_by_token", byToken.narrow(1, start, inner).contiguous()), input.TabulatedTokens], Attr("axis", 0L));
        return (Gather("x", 0), Gather("z", inner));
    }

    /// <summary>Rows [start, start + rows) of a Linear's output, as one MatMul (+ its bias): (T, B, in) → (T, B, rows).</summary>
    private static string Linear(GraphBuilder g, Weights w, string linear, string x, long start, long rows)
    {
        var y = g.MatMul(x, g.Weight($"{linear}.weight_t.{start}", w[linear + ".weight"].narrow(0, start, rows).t()));
        return w.Has(linear + ".bias") ? g.Add(y, g.Weight($"{linear}.bias.{start}", w[linear + ".bias"].narrow(0, start, rows))) : y;
    }

    /// <summary>SiLU(x) = x σ(x).</summary>
    private static string Silu(GraphBuilder g, string x) => g.Mul(x, g.Sigmoid(x));
}
