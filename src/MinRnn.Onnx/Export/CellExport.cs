using MinRnn.Cells;
using MinRnn.Onnx.Graph;
using static MinRnn.Onnx.Graph.GraphBuilder;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Export;

/// <summary>What every exported cell shares: the projection back to d, and the weight inputs of ONNX's GRU/LSTM ops.</summary>
internal static class CellExport
{
    /// <summary>y = h, or h·W_outᵀ when the cell's inner width is not d: (T, B, inner) → (T, B, d).</summary>
    public static string OutProjection(GraphBuilder g, Weights w, string prefix, string h) =>
        w.Has(prefix + MinCell.OutName + ".weight") ? g.MatMul(h, g.Weight(prefix + MinCell.OutName + ".weight_t", w.Right(prefix + MinCell.OutName + ".weight"))) : h;

    /// <summary>The input of ONNX's GRU/LSTM op: the normalised block input x (T, B, d), or for a tabulated first block
    /// one-hot tokens (T, B, V) with the per-token cell inputs U (V, d) that turn W into W·Uᵀ (FirstBlockTables).</summary>
    public static (string X, Tensor? ByToken) NativeInput(CellExportInput input) =>
        input.X is { } x ? (x, null) : (OneHot(input.G, input.TabulatedTokens, input.Config.Vocab), FirstBlockTables.CellInputs(input.Model));

    /// <summary>Tokens (T, B) as one-hot rows (T, B, V): x · Wᵀ then picks W's column of each token exactly.</summary>
    private static string OneHot(GraphBuilder g, string tokens, int vocab) =>
        g.Op("OneHot", [tokens, g.Ints([vocab], scalar: true), g.Floats([0f, 1f])], Attr("axis", -1L));

    /// <summary>nn.GRU/nn.LSTM weights as the ONNX op's W (1, kH, d | V), R (1, kH, H) and B (1, 2kH), gate blocks in
    /// `order`; with `tokenInputs` U (V, d), W becomes W·Uᵀ for one-hot token inputs (FirstBlockTables).</summary>
    public static (long Hidden, string W, string R, string B) NativeRnnWeights(GraphBuilder g, Weights w, string prefix, int[] order, Tensor? tokenInputs)
    {
        var rnn = prefix + "rnn.";
        var wi = g.Weight(rnn + "W", Weights.ByToken(Weights.ReorderGates(w[rnn + "weight_ih_l0"], order), tokenInputs).unsqueeze(0));
        var wh = g.Weight(rnn + "R", Weights.ReorderGates(w[rnn + "weight_hh_l0"], order).unsqueeze(0));
        var bias = cat([Weights.ReorderGates(w[rnn + "bias_ih_l0"], order), Weights.ReorderGates(w[rnn + "bias_hh_l0"], order)], 0);
        return (w[rnn + "weight_hh_l0"].shape[1], wi, wh, g.Weight(rnn + "B", bias.unsqueeze(0)));
    }
}
