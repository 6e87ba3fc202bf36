using MinRnn.Onnx.Graph;

namespace MinRnn.Onnx.Export;

/// <summary>Causal depthwise conv (Layers/CausalConv.cs): y_t = Σ_j w_j x_{t−k+1+j} + bias over [past; x], where the
/// past is the conv state, the last k − 1 inputs (B, k − 1, d), batch-first as in TorchSharp.</summary>
internal static class ConvExport
{
    /// <summary>x (T, B, d) time-major, state (B, k − 1, d) → (y (T, B, d), next state (B, k − 1, d)).</summary>
    public static (string Y, string State) Export(GraphBuilder g, Weights w, string prefix, long kernel, string x, string state)
    {
        var weight = g.Weight(prefix + "conv.weight", w[prefix + "conv.weight"]);        // (d, 1, k)
        var bias = g.Weight(prefix + "conv.bias", w[prefix + "conv.bias"]);
        var dim = w[prefix + "conv.weight"].shape[0];
        var past = g.Transpose(state, 0, 2, 1);                                          // (B, d, k − 1)
        var padded = g.Concat(2, past, g.Transpose(x, 1, 2, 0));                         // (B, d, k − 1 + T)
        var conv = g.Op("Conv", [padded, weight, bias], GraphBuilder.Attr("group", dim), GraphBuilder.Attr("kernel_shape", [kernel]));
        var next = g.Op("Slice", padded, g.Ints([-(kernel - 1)]), g.Ints([long.MaxValue]), g.Ints([2]));
        return (g.Transpose(conv, 2, 0, 1), g.Transpose(next, 0, 2, 1));
    }
}
