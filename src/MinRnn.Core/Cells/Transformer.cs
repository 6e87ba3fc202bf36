// Causal multi-head self-attention: Vaswani et al. 2017, "Attention Is All You Need", arXiv 1706.03762, §3.2; rotary
// positions (Layers/Rotary.cs). The block around it (pre-norm residual, feed-forward) is MinRnn's (Models/Block.cs).
using MinRnn.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>[q, k, v] = to_qkv(x) (inner width each, split into heads of width w), RoPE on q and k at their absolute
/// positions, a_ij = softmax_j(q_i · k_j / √w) over j ≤ i, y = to_out(Σ_j a_ij v_j). The state is the key–value cache
/// (B, past, 2·inner) = [rotated k | v] of every position so far: feeding x in pieces with it equals one call.</summary>
public sealed class Transformer : RecurrentCell, IAttentionCell
{
    private readonly Linear to_qkv;
    private readonly Linear to_out;
    private readonly long inner, heads;

    public Transformer(CellOptions options) : base(nameof(Transformer))
    {
        (inner, heads) = (options.Inner, options.Heads);
        if (inner % heads != 0 || inner / heads % 2 != 0)
            throw new ArgumentException($"heads: {heads} heads do not split the inner width {inner} into even widths");
        to_qkv = nn.Linear(options.Dim, 3 * inner, hasBias: false);
        to_out = nn.Linear(inner, options.Dim, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The matrix products of one layer (CellKind.Projections): to_qkv and to_out; the attention itself grows
    /// with the length and is not among them (AttentionMacs).</summary>
    public static List<(long In, long Out)> Projections(long dim, long hidden, int stateSize) => [(dim, 3 * hidden), (hidden, dim)];

    /// <summary>Attention's multiply–adds per token (CellKind.MixingMacs) over a causal sequence of T: query i meets keys j ≤ i,
    /// in QKᵀ and in AV, inner width over all heads each: Σ_i 2 (i + 1)·inner / T = (T + 1)·inner. Masked scores are not
    /// counted (the fused kernel skips the masked tiles).</summary>
    public static double AttentionMacs(long seqLen, long hidden, int stateSize) => (seqLen + 1.0) * hidden;

    /// <summary>The cache width per position: keys and values.</summary>
    public override long StateSize => 2 * inner;

    /// <summary>The empty cache (B, 0, 2·inner).</summary>
    public override CellState ZeroState(long batch)
    {
        var w = to_qkv.weight!;
        return new(zeros(batch, 0, StateSize, dtype: w.dtype, device: w.device));
    }

    /// <summary>The fused path: libtorch's scaled_dot_product_attention, whose CPU flash kernel works in tiles, skips
    /// the masked ones and keeps a log-sum-exp per row for the backward pass, so no (T, P + T) score matrix is formed.
    /// From the empty cache the causal flag is the mask; one new token sees the whole cache and needs none; a block of
    /// T &gt; 1 after a cache of P gets the mask j ≤ P + i (the flag would align it to j ≤ i).</summary>
    public override (Tensor Output, CellState State) forward(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var (batch, steps, past) = (x.shape[0], x.shape[1], state?.H.shape[1] ?? 0);
        var (q, keys, values, cache) = Project(x, state);
        var y = (past, steps) switch
        {
            (0, _) => nn.functional.scaled_dot_product_attention(q, keys, values, is_casual: true),
            (_, 1) => nn.functional.scaled_dot_product_attention(q, keys, values),
            _ => nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: Future(steps, past, x.device).logical_not()),
        };                                                                              // (B, H, T, w)
        return (Output(y, batch, steps).MoveToOuterDisposeScope(), new CellState(cache).MoveToOuterDisposeScope());
    }

    /// <summary>The explicit path: a = softmax(q kᵀ/√w, masked), y = a v, with the weights formed. Equal to forward
    /// (TransformerTests, float64, outputs and gradients); kept for explain's attention rollout, which needs a itself.</summary>
    public (Tensor Output, CellState State) ForwardExplicit(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var (batch, steps) = (x.shape[0], x.shape[1]);
        var (q, keys, values, cache) = Project(x, state);
        var y = Weights(q, keys).matmul(values);
        return (Output(y, batch, steps).MoveToOuterDisposeScope(), new CellState(cache).MoveToOuterDisposeScope());
    }

    /// <summary>The attention weights a_ij (B, H, T, T) of input x (B, T, d) from the empty cache: what forward mixes
    /// the values with (explain's attention rollout reads them).</summary>
    public Tensor Attention(Tensor x)
    {
        var (q, keys, _, _) = Project(x, null);
        return Weights(q, keys);
    }

    /// <summary>a_ij = softmax_j(q_i · k_j / √w) over j ≤ P + i: (B, H, T, P + T).</summary>
    private Tensor Weights(Tensor q, Tensor keys)
    {
        var (steps, past) = (q.shape[2], keys.shape[2] - q.shape[2]);
        var scores = q.matmul(keys.transpose(2, 3)) / Math.Sqrt(inner / heads);          // (B, H, T, P + T)
        return scores.masked_fill(Future(steps, past, q.device), double.NegativeInfinity).softmax(-1);
    }

    /// <summary>The positions j &gt; P + i that query i may not see: (T, P + T) bool.</summary>
    private static Tensor Future(long steps, long past, Device device) =>
        ones(steps, past + steps, dtype: ScalarType.Bool, device: device).triu(past + 1);

    /// <summary>The rotated queries (B, H, T, w), keys and values (B, H, P + T, w) and the new cache (B, P + T, 2·inner).</summary>
    private (Tensor Q, Tensor Keys, Tensor Values, Tensor Cache) Project(Tensor x, CellState? state)
    {
        var (batch, steps) = (x.shape[0], x.shape[1]);
        var past = state?.H.shape[1] ?? 0;
        var qkv = to_qkv.call(x).chunk(3, -1);                                          // (B, T, inner) each
        var q = Rotary.Apply(Heads(qkv[0]), past);                                      // (B, H, T, w)
        var k = Rotary.Apply(Heads(qkv[1]), past);
        var cache = cat([k.transpose(1, 2).reshape(batch, steps, inner), qkv[2]], -1);  // (B, T, 2·inner)
        if (state is not null) cache = cat([state.H, cache], 1);                        // (B, P + T, 2·inner)
        var kv = cache.chunk(2, -1);
        return (q, Heads(kv[0]), Heads(kv[1]), cache);
    }

    /// <summary>(B, H, T, w) → to_out of (B, T, inner).</summary>
    private Tensor Output(Tensor y, long batch, long steps) => to_out.call(y.transpose(1, 2).reshape(batch, steps, inner));

    /// <summary>(B, T, inner) → (B, H, T, w).</summary>
    private Tensor Heads(Tensor t) => t.reshape(t.shape[0], t.shape[1], heads, inner / heads).transpose(1, 2);
}
