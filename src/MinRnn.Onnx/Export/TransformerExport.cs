// Causal multi-head self-attention (Vaswani et al. 2017, arXiv 1706.03762, §3.2) with rotary positions (Su et al. 2021,
// arXiv 2104.09864, §3.4); Cells/Transformer.cs, Layers/Rotary.cs; docs/ONNX.md, "transformer".
using MinRnn.Cells;
using MinRnn.Layers;
using MinRnn.Models;
using MinRnn.Onnx.Format;
using MinRnn.Onnx.Graph;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Export;

/// <summary>The transformer cell, its attention fused (ONNX Runtime's MultiHeadAttention) or explicit (standard ops), as
/// OnnxExportOptions.Attention says (no recurrence, so --form and --chunk do not apply). Its states
/// per layer: the key–value cache (B, n, 2·inner) = [rotated k | v], each row's real positions first and padding after
/// them, and the count of each row's real positions c_b (B), which is also the position of its next token. A call
/// appends the new keys and values at c_b … c_b + length_b − 1 of each row (a GatherElements over [cache; new]), so
/// with the cache compacted like this a key's index is its position: query t of row b, at position p = c_b + t, takes
/// RoPE at p and attends to the keys j ≤ p. Rows are exactly as one call on their real tokens, piece after piece.</summary>
internal sealed class TransformerExport : ICellExporter
{
    public string Kind => "transformer";

    /// <summary>The operator domain of ONNX Runtime's contrib ops (version 1), imported by OnnxExporter when a node uses it.</summary>
    public const string ContribDomain = "com.microsoft";

    /// <summary>attention: standard ops; fused-attention: ONNX Runtime's MultiHeadAttention (OnnxAttention).</summary>
    public string Form(OnnxExportOptions options) => options.Attention == OnnxAttention.Fused ? "fused-attention" : "attention";

    public bool Tabulates(OnnxExportOptions options) => false;

    /// <summary>The cache (B, n, 2·inner), n growing, empty when not fed; the count (B), when not fed the fed cache's
    /// length (StateSpec.Default).</summary>
    public IReadOnlyList<(StateKind Kind, long[] Tail)> States(ModelConfig config) =>
        [(StateKind.H, [Signature.GrowingDim, 2 * config.CellOptions.Inner]), (StateKind.Positions, [])];

    public (string Y, string[] States) Export(CellExportInput input, string[] initial)
    {
        var (g, w, prefix, x) = (input.G, input.W, input.Prefix, input.X!);
        var (inner, heads) = (input.Config.CellOptions.Inner, (long)input.Config.CellOptions.Heads);
        var width = inner / heads;
        var (cacheIn, countIn) = (initial[0], initial[1]);

        var past = g.Shape(cacheIn, 1, 2);                                                 // [P]
        var count = g.Op("Cast", [g.Op("Min", countIn, g.Op("Cast", [past], Attr("to", (long)TensorProto.Types.DataType.Float)))],
            Attr("to", (long)TensorProto.Types.DataType.Int64));                           // c (B), ≤ P
        var time = g.Shape(x, 0, 1);
        var positions = g.Add(g.Unsqueeze(Range(g, time), 1), g.Unsqueeze(count, 0));      // p = c_b + t, (T, B)
        var reach = g.Add(past, time);                                                     // [P + T]: every p is below it
        var (cos, sin) = Angles(g, positions, reach, width);                               // (T, B, 1, 1, w/2)

        // q' = q ⊙ cos + rotate_half(q) ⊙ sin, with rotate_half(x·Wᵀ) = x·R(W)ᵀ: rows of W moved and negated, exact.
        // Each head's channels as (2, w/2): its angles are [θ, θ]. The score scale 1/√w is folded into q's weights.
        var qkv = w[prefix + "to_qkv.weight"].chunk(3, 0);                                 // (inner, d) each
        var scale = 1 / Math.Sqrt(width);
        string Halves(string h) => g.Op("Reshape", h, g.Ints([0, 0, heads, 2, width / 2])); // (T, B, H, 2, w/2)
        string Rope(string name, Tensor weight)
        {
            var plain = g.MatMul(x, g.Weight($"{prefix}{name}.weight_t", weight.t()));
            var rotated = g.MatMul(x, g.Weight($"{prefix}{name}.rotated_weight_t", RotateHalfRows(weight, heads).t()));
            return g.Op("Reshape", g.Add(g.Mul(Halves(plain), cos), g.Mul(Halves(rotated), sin)), g.Ints([0, 0, inner]));
        }
        var q = Rope("q", qkv[0] * scale);                                                 // (T, B, inner)
        var k = Rope("k", qkv[1]);
        var v = g.MatMul(x, g.Weight(prefix + "v.weight_t", qkv[2].t()));
        var fresh = g.Transpose(g.Concat(2, k, v), 1, 0, 2);                               // (B, T, 2·inner)

        var lengths = input.Lengths?.Lengths ?? time;
        var next = g.Add(count, lengths);                                                  // c_b + length_b, (B)
        var cache = Append(g, cacheIn, fresh, past, count, next);                          // (B, max next, 2·inner)

        var y = input.Options.Attention == OnnxAttention.Fused
            ? FusedAttention(g, q, cache, positions, reach, inner, heads)
            : ExplicitAttention(g, q, cache, positions, inner, heads, width);
        return (CellExport.OutProjection(g, w, prefix, y), [cache, g.Op("Cast", [next], Attr("to", (long)TensorProto.Types.DataType.Float))]);
    }

    /// <summary>softmax(q·kᵀ masked to j ≤ p)·v per head as standard ops: q (T, B, inner) → (T, B, inner).</summary>
    private static string ExplicitAttention(GraphBuilder g, string q, string cache, string positions, long inner, long heads, long width)
    {
        var visible = g.Op("LessOrEqual", Range(g, g.Shape(cache, 1, 2)), g.Unsqueeze(g.Transpose(positions, 1, 0), 1, 3));   // j ≤ p: (B, 1, T, n)
        var queries = g.Transpose(g.Op("Reshape", q, g.Ints([0, 0, heads, width])), 1, 2, 0, 3);            // (B, H, T, w)
        var keys = g.Transpose(Heads(g, cache, 0, inner, heads, width), 0, 2, 3, 1);                       // (B, H, w, n)
        var values = g.Transpose(Heads(g, cache, inner, 2 * inner, heads, width), 0, 2, 1, 3);             // (B, H, n, w)
        var scores = g.MatMul(queries, keys);                                              // (B, H, T, n)
        var attention = g.Op("Softmax", [g.Op("Where", visible, scores, g.Float(float.NegativeInfinity))], Attr("axis", -1L));
        return g.Op("Reshape", g.Transpose(g.MatMul(attention, values), 2, 0, 1, 3), g.Ints([0, 0, inner]));  // (T, B, inner)
    }

    /// <summary>The same as one com.microsoft MultiHeadAttention node (ONNX Runtime's contrib op, CPU and CUDA): the whole
    /// compacted cache as its key and value (B, n, inner), the mask as its additive attention_bias 0 | −∞ (B, 1, T, n),
    /// broadcast over heads; scale 1, as 1/√w is in q's weights. The bias rows are gathered by position from a table
    /// over all positions (P + T, n), a copy per row rather than a comparison per element. Not its past_key/past_value
    /// with `unidirectional`: that mask is j ≤ P + t with one past length P for all rows, and a ragged batch needs
    /// j ≤ c_b + t per row.</summary>
    private static string FusedAttention(GraphBuilder g, string q, string cache, string positions, string reach, long inner, long heads)
    {
        var causal = g.Op("Where", g.Op("LessOrEqual", Range(g, g.Shape(cache, 1, 2)), g.Unsqueeze(Range(g, reach), 1)),
            g.Float(0f), g.Float(float.NegativeInfinity));                                // row k: 0 at j ≤ k, −∞ after (P + T, n)
        var bias = g.Unsqueeze(g.Op("Gather", [causal, g.Transpose(positions, 1, 0)], Attr("axis", 0L)), 1);   // (B, 1, T, n)
        var output = g.Fresh("attention");
        g.Node("MultiHeadAttention", [g.Transpose(q, 1, 0, 2), Channels(g, cache, 0, inner), Channels(g, cache, inner, 2 * inner), "", "", bias],
            [output], Attr("num_heads", heads), Attr("scale", 1f)).Domain = ContribDomain;
        return g.Transpose(output, 1, 0, 2);                                               // (B, T, inner) → (T, B, inner)
    }

    /// <summary>[cache; fresh] (B, P + T, 2·inner) with each row's real entries moved to its front: index j takes j below
    /// c_b and P + j − c_b from there on (clamped to the last index, padding either way); cut to the longest row.</summary>
    private static string Append(GraphBuilder g, string cache, string fresh, string past, string count, string next)
    {
        var all = g.Concat(1, cache, fresh);
        var total = g.Shape(all, 1, 2);                                                    // [P + T]
        var j = g.Unsqueeze(Range(g, total), 0);                                           // (1, P + T)
        var c = g.Unsqueeze(count, 1);                                                     // (B, 1)
        var moved = g.Op("Min", g.Sub(g.Add(j, past), c), g.Sub(total, g.Ints([1])));
        var index = g.Op("Where", g.Op("Less", j, c), j, moved);                          // (B, P + T)
        var gathered = g.Op("GatherElements", [all, g.Op("Expand", g.Unsqueeze(index, 2), g.Shape(all, 0))], Attr("axis", 1L));
        var longest = g.Op("ReduceMax", [next], Attr("keepdims", 1L));
        return g.Op("Slice", gathered, g.Ints([0]), longest, g.Ints([1]));
    }

    /// <summary>Channels [from, to) of the cache (B, n, 2·inner): (B, n, to − from).</summary>
    private static string Channels(GraphBuilder g, string cache, long from, long to) =>
        g.Op("Slice", cache, g.Ints([from]), g.Ints([to]), g.Ints([2]));

    /// <summary>Channels [from, to) of the cache (B, n, 2·inner) as heads (B, n, H, w).</summary>
    private static string Heads(GraphBuilder g, string cache, long from, long to, long heads, long width) =>
        g.Op("Reshape", Channels(g, cache, from, to), g.Ints([0, 0, heads, width]));

    /// <summary>0, 1, …, n − 1 (int64) for a one-element shape vector [n].</summary>
    private static string Range(GraphBuilder g, string length) =>
        g.Op("Range", g.Ints([0], scalar: true), g.Squeeze(length, 0), g.Ints([1], scalar: true));

    /// <summary>cos and sin of p·θ_i (T, B, 1, 1, w/2), θ_i = 10000^(−2i/w) as in Rotary.Angles, to broadcast over a head's
    /// (2, w/2) channels ([θ, θ]): computed in float64 as Rotary does (p·θ in float32 would be off by ~p·6e-8 rad) for
    /// every position below `reach` (P + T, one row each), cast to float32, then gathered by position.</summary>
    private static (string Cos, string Sin) Angles(GraphBuilder g, string positions, string reach, long width)
    {
        var theta = Enumerable.Range(0, (int)width / 2).Select(i => Math.Pow(Rotary.Base, -2.0 * i / width)).ToArray();
        var tensor = new TensorProto { Name = g.Fresh("rope_theta"), DataType = (int)TensorProto.Types.DataType.Double };
        tensor.DoubleData.AddRange(theta);
        tensor.Dims.Add(width / 2);
        g.Graph.Initializer.Add(tensor);
        var angles = g.Mul(g.Unsqueeze(g.Op("Cast", [Range(g, reach)], Attr("to", (long)TensorProto.Types.DataType.Double)), 1), tensor.Name);   // (P + T, w/2)
        string ByPosition(string table) => g.Unsqueeze(g.Op("Gather", [g.Op("Cast", [table], Attr("to", (long)TensorProto.Types.DataType.Float)), positions],
            Attr("axis", 0L)), 2, 3);
        return (ByPosition(g.Op("Cos", angles)), ByPosition(g.Op("Sin", angles)));
    }

    /// <summary>W (inner, d) → R(W) with x·R(W)ᵀ = rotate_half(x·Wᵀ) in every head: rows [−b; a] for a head's rows [a; b].</summary>
    private static Tensor RotateHalfRows(Tensor weight, long heads)
    {
        var halves = weight.reshape(heads, 2, -1, weight.shape[1]).unbind(1);
        return stack([-halves[1], halves[0]], 1).reshape(weight.shape);
    }
}
