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
public sealed class Transformer : RecurrentCell
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
    /// counted (this cell computes them and masks them).</summary>
    public static double AttentionMacs(long seqLen, long hidden, int stateSize) => (seqLen + 1.0) * hidden;

    /// <summary>The cache width per position: keys and values.</summary>
    public override long StateSize => 2 * inner;

    /// <summary>The empty cache (B, 0, 2·inner).</summary>
    public override CellState ZeroState(long batch)
    {
        var w = to_qkv.weight!;
        return new(zeros(batch, 0, StateSize, dtype: w.dtype, device: w.device));
    }

    public override (Tensor Output, CellState State) forward(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var (batch, steps) = (x.shape[0], x.shape[1]);
        var (attention, values, cache) = Attend(x, state);
        var y = attention.matmul(values).transpose(1, 2).reshape(batch, steps, inner);
        return (to_out.call(y).MoveToOuterDisposeScope(), new CellState(cache).MoveToOuterDisposeScope());
    }

    /// <summary>The attention weights a_ij (B, H, T, T) of input x (B, T, d) from the empty cache: what forward mixes
    /// the values with (explain's attention rollout reads them).</summary>
    public Tensor Attention(Tensor x) => Attend(x, null).Weights;

    /// <summary>a_ij (B, H, T, P + T), the values (B, H, P + T, w) and the new cache (B, P + T, 2·inner).</summary>
    private (Tensor Weights, Tensor Values, Tensor Cache) Attend(Tensor x, CellState? state)
    {
        var (batch, steps) = (x.shape[0], x.shape[1]);
        var past = state?.H.shape[1] ?? 0;
        var qkv = to_qkv.call(x).chunk(3, -1);                                          // (B, T, inner) each
        var q = Rotary.Apply(Heads(qkv[0]), past);                                      // (B, H, T, w)
        var k = Rotary.Apply(Heads(qkv[1]), past);
        var cache = cat([k.transpose(1, 2).reshape(batch, steps, inner), qkv[2]], -1);  // (B, T, 2·inner)
        if (state is not null) cache = cat([state.H, cache], 1);                        // (B, P + T, 2·inner)
        var kv = cache.chunk(2, -1);
        var (keys, values) = (Heads(kv[0]), Heads(kv[1]));                              // (B, H, P + T, w)
        var scores = q.matmul(keys.transpose(2, 3)) / Math.Sqrt(inner / heads);          // (B, H, T, P + T)
        var future = ones(steps, past + steps, dtype: ScalarType.Bool, device: x.device).triu(past + 1);   // j > past + i
        return (scores.masked_fill(future, double.NegativeInfinity).softmax(-1), values, cache);
    }

    /// <summary>(B, T, inner) → (B, H, T, w).</summary>
    private Tensor Heads(Tensor t) => t.reshape(t.shape[0], t.shape[1], heads, inner / heads).transpose(1, 2);
}
