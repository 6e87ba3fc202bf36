using MinRnn.Onnx.Format;
using MinRnn.Onnx.Graph;
using Onnx;

namespace MinRnn.Onnx.Export;

/// <summary>Each row's real length in the graph: Lengths (B) int64 clamped to [.., T], and Valid (T, B, 1) bool, true
/// where step t is a real token of row b (t &lt; length_b). Rows are right-padded.</summary>
internal sealed record SequenceLengths(string Lengths, string Valid);

/// <summary>The optional <c>lengths</c> input (Signature.Lengths): int64 (batch), default the full length. Its default
/// is a one-element initializer holding int64's maximum, which min(·, T) turns into T for every row.</summary>
internal static class LengthsExport
{
    /// <summary>Declares the input; input (T, B, …) time-major (tokens or numeric steps), batch the int64 vector [B].</summary>
    public static SequenceLengths Declare(GraphBuilder g, string input, string batch)
    {
        g.Input(Signature.Lengths, TensorProto.Types.DataType.Int64, "batch");
        g.Graph.Initializer.Add(GraphBuilder.Int64Tensor(Signature.Lengths, [long.MaxValue], [1]));
        var time = g.Shape(input, 0, 1);                                                // [T]
        var lengths = g.Op("Min", g.Op("Expand", Signature.Lengths, batch), time);       // (B)
        var steps = g.Op("Range", g.Ints([0], scalar: true), g.Squeeze(time, 0), g.Ints([1], scalar: true));
        var valid = g.Op("Less", g.Unsqueeze(steps, 1), g.Unsqueeze(lengths, 0));        // (T, 1) < (1, B) → (T, B)
        return new SequenceLengths(lengths, g.Unsqueeze(valid, 2));
    }

    /// <summary>Padded steps of h_t = a_t ⊙ h_{t−1} + b_t keep the state: a = 1 (log a = 0), b = 0 there.</summary>
    public static (string A, string B) KeepStateWhenPadded(GraphBuilder g, SequenceLengths lengths, string a, string b, bool logSpace) =>
        (g.Op("Where", lengths.Valid, a, g.Float(logSpace ? 0f : 1f)), g.Op("Where", lengths.Valid, b, g.Float(0f)));

    /// <summary>The lengths as ONNX's RNN ops take them (sequence_lens is int32).</summary>
    public static string SequenceLens(GraphBuilder g, SequenceLengths lengths) =>
        g.Op("Cast", [lengths.Lengths], GraphBuilder.Attr("to", (long)TensorProto.Types.DataType.Int32));
}
