// minGRU / minLSTM: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3; Cells/MinGru.cs, Cells/MinLstm.cs.
using MinRnn.Models;
using MinRnn.Onnx.Graph;
using static TorchSharp.torch;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>A min cell as whole-sequence MatMuls and elementwise gates, then the recurrence h_t = a_t ⊙ h_{t−1} + b_t
/// as one Scan over a (scan form) or chunk-parallel over log a (chunked form). A min cell's exporter adds only its
/// gates: a and b ⊙ h̃ in linear space (scan form), or log a and b ⊙ h̃ (chunked form).</summary>
internal abstract class MinCellExport : ICellExporter
{
    public abstract string Kind { get; }

    public string Form(OnnxExportOptions options) => options.Form.ToString().ToLowerInvariant();

    public bool Tabulates(OnnxExportOptions options) => options.Form == OnnxForm.Scan;

    /// <summary>The recurrence coefficients from the cell input x (T, B, d): (a or log a, b ⊙ h̃), each (T, B, inner).</summary>
    protected abstract (string A, string B) Gates(GraphBuilder g, Weights w, string prefix, ModelConfig config, string x, bool logSpace);

    /// <summary>x (T, B, d) time-major, h0 (B, inner) → (y (T, B, d), h_T (B, inner)); with x null, the first block in
    /// the scan form with a and b tabulated per token (FirstBlockTables).</summary>
    public (string Y, string[] States) Export(CellExportInput input, string[] initial)
    {
        var (g, w, prefix, h0) = (input.G, input.W, input.Prefix, initial[0]);
        var logSpace = input.Options.Form == OnnxForm.Chunked;
        var (a, b) = input.X is { } x ? Gates(g, w, prefix, input.Config, x, logSpace) : Tabulated(input);
        if (input.Lengths is { } lengths) (a, b) = LengthsExport.KeepStateWhenPadded(g, lengths, a, b, logSpace);
        var (h, hT) = logSpace ? ChunkedScanExport.Export(g, a, b, h0, input.Options.ChunkSize) : ScanExport.Export(g, a, b, h0);
        return (CellExport.OutProjection(g, w, prefix, h), [hT]);
    }

    private static (string A, string B) Tabulated(CellExportInput input)
    {
        var (g, prefix) = (input.G, input.Prefix);
        var byToken = FirstBlockTables.MinCellCoefficients(input.Model);
        var a = g.Op("Gather", [g.Weight(prefix + "a_by_token", byToken.A), input.TabulatedTokens], Attr("axis", 0L));
        var b = g.Op("Gather", [g.Weight(prefix + "b_by_token", byToken.B), input.TabulatedTokens], Attr("axis", 0L));
        return (a, b);
    }

    /// <summary>Chunk `index` of `parts` of a Linear's output rows, as its own MatMul (+ bias), negated if asked (the
    /// weights are): (T, B, d) → (T, B, inner). Separate products cost the same as one and need no Split.</summary>
    protected static string Projection(GraphBuilder g, Weights w, string linear, int index, int parts, string x, bool negate = false)
    {
        var (weight, sign, name) = (w[linear + ".weight"], negate ? -1 : 1, negate ? "neg_weight_t" : "weight_t");
        var rows = weight.shape[0] / parts;
        var y = g.MatMul(x, g.Weight($"{linear}.{name}.{index}", weight.narrow(0, index * rows, rows).t() * sign));
        return w.Has(linear + ".bias") ? g.Add(y, g.Weight($"{linear}.{(negate ? "neg_bias" : "bias")}.{index}", w[linear + ".bias"].narrow(0, index * rows, rows) * sign)) : y;
    }

    /// <summary>g(x) = x + 0.5 for x ≥ 0, σ(x) otherwise (Scans/MinGates.cs), as max(x + 0.5, σ(x)): the same function
    /// (σ lies below its tangent 0.5 + x/4 for x > 0 and above it for x < 0), in three ops and without a Where.</summary>
    protected static string G(GraphBuilder g, string x) =>
        g.Op("Max", g.Add(x, g.Float(0.5f)), g.Sigmoid(x));

    /// <summary>softplus(x) = relu(x) + log(1 + exp(−|x|)): never overflows, and about 10× faster in ORT's CPU kernels
    /// than the Softplus op.</summary>
    public static string Softplus(GraphBuilder g, string x) =>
        g.Add(g.Op("Relu", x), g.Op("Log", OnePlusExpNegAbs(g, x)));

    /// <summary>softplus(u) − softplus(v) = relu(u) − relu(v) + log((1 + exp(−|u|)) / (1 + exp(−|v|))): one Log, not two.</summary>
    protected static string SoftplusDifference(GraphBuilder g, string u, string v) =>
        g.Add(g.Sub(g.Op("Relu", u), g.Op("Relu", v)), g.Op("Log", g.Div(OnePlusExpNegAbs(g, u), OnePlusExpNegAbs(g, v))));

    private static string OnePlusExpNegAbs(GraphBuilder g, string x) => g.Add(g.Exp(g.Neg(g.Op("Abs", x))), g.Float(1f));
}
