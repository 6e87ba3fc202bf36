using MinRnn.Models;
using MinRnn.Onnx.Format;
using MinRnn.Onnx.Graph;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.Onnx.Export;

/// <summary>The graph's sequence input and the model's input layer, time-major: Input (T, B, ·) for the shapes that
/// follow it, Tokens (T, B) for per-token tables (null for numeric steps) and X (T, B, d), the first block's input.</summary>
internal sealed record ExportedInput(string Input, string? Tokens, string X);

/// <summary>The input layer (Models/SequenceModel.cs, Embed) in ONNX: token ids int64 (batch, time) → the embedding's rows
/// (Gather); numeric steps float (batch, time, F) → ((s − input_mean) / input_std) · W_inᵀ + b_in, the standardisation and
/// the projection as Sub, Div, MatMul, Add on the model's own buffers and weights (not folded into W_in, so the graph
/// computes what TorchSharp computes, in its order, and the file shows the standardisation a user's rows go through).</summary>
internal static class InputExport
{
    /// <summary>Declares the input (<see cref="Signature.Tokens"/> or <see cref="Signature.Features"/>, after the model's
    /// config) and returns it time-major with the input layer's output.</summary>
    public static ExportedInput Declare(GraphBuilder g, Weights w, ModelConfig config)
    {
        if (config.Features is not { } features)
        {
            g.Input(Signature.Tokens, TensorProto.Types.DataType.Int64, "batch", "time");
            var tokens = g.Transpose(Signature.Tokens, 1, 0);                                  // (T, B)
            var embedding = g.Weight("embedding.weight", w["embedding.weight"]);
            return new(tokens, tokens, g.Op("Gather", [embedding, tokens], Attr("axis", 0L))); // (T, B, d)
        }
        g.Input(Signature.Features, TensorProto.Types.DataType.Float, "batch", "time", features);
        var steps = g.Transpose(Signature.Features, 1, 0, 2);                                  // (T, B, F)
        var standardised = g.Div(g.Sub(steps, g.Weight("input_mean", w["input_mean"])), g.Weight("input_std", w["input_std"]));
        var projected = g.MatMul(standardised, g.Weight("input_projection.weight_t", w.Right("input_projection.weight")));
        return new(steps, null, g.Add(projected, g.Weight("input_projection.bias", w["input_projection.bias"])));   // (T, B, d)
    }

    /// <summary>The graph input's name for a model of `config`.</summary>
    public static string Name(ModelConfig config) => config.Features is null ? Signature.Tokens : Signature.Features;
}
