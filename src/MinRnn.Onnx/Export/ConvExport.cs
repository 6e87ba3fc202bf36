using MinRnn.Onnx.Graph;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>Causal depthwise conv (Layers/CausalConv.cs): y_t = Σ_j w_j x_{t−k+1+j} + bias over [past; x], where the
/// past is the conv state, the last k − 1 inputs (B, k − 1, d), batch-first as in TorchSharp. The block's conv and
/// Mamba's conv1d both run through it.</summary>
internal static class ConvExport
{
    /// <summary>x (T, B, d) time-major, state (B, k − 1, d) → (y (T, B, d), next state (B, k − 1, d)); `conv` is the
    /// Conv1d's parameter prefix. With `lengths` (B), row b's next state is the k − 1 inputs before its own length:
    /// [past; x] at steps length_b … length_b + k − 2.</summary>
    public static (string Y, string State) Export(GraphBuilder g, Weights w, string conv, long kernel, string x, string state, string? lengths = null)
    {
        var weight = g.Weight(conv + "weight", w[conv + "weight"]);                      // (d, 1, k)
        var bias = g.Weight(conv + "bias", w[conv + "bias"]);
        var dim = w[conv + "weight"].shape[0];
        var past = g.Transpose(state, 0, 2, 1);                                          // (B, d, k − 1)
        var padded = g.Concat(2, past, g.Transpose(x, 1, 2, 0));                         // (B, d, k − 1 + T)
        var y = g.Op("Conv", [padded, weight, bias], Attr("group", dim), Attr("kernel_shape", [kernel]));
        var next = lengths is null
            ? g.Op("Slice", padded, g.Ints([-(kernel - 1)]), g.Ints([long.MaxValue]), g.Ints([2]))
            : LastRealInputs(g, padded, lengths, kernel - 1);
        return (g.Transpose(y, 2, 0, 1), g.Transpose(next, 0, 2, 1));
    }

    /// <summary>padded (B, d, k − 1 + T), lengths (B) → padded[b, :, length_b + j] for j &lt; k − 1: (B, d, k − 1).</summary>
    private static string LastRealInputs(GraphBuilder g, string padded, string lengths, long width)
    {
        var offsets = g.Ints([.. Enumerable.Range(0, (int)width).Select(j => (long)j)], [1, 1, width]);
        var index = g.Add(g.Unsqueeze(lengths, 1, 2), offsets);                         // (B, 1, k − 1)
        var expanded = g.Op("Expand", index, g.Concat(0, g.Shape(padded, 0, 2), g.Ints([width])));
        return g.Op("GatherElements", [padded, expanded], Attr("axis", 2L));
    }
}
