using MinRnn.Cells;
using static TorchSharp.torch;

namespace MinRnn.Cells.Unrolling;

/// <summary>The exact unrolling of a min cell (docs/MODELS.md, "Exact decomposition"): with h_t = a_t ⊙ h_{t−1} + b_t ⊙ h̃_t,
///   h_t = Σ_{j≤t} α_{t,j} ⊙ h̃_j + P_t ⊙ h_0,   α_{t,j} = b_j ⊙ Π_{k=j+1..t} a_k,   P_t = Π_{k=1..t} a_k.
/// Alpha is (B, T_out, T_in, C) and zero for j &gt; t, the per-channel "implicit attention" of the cell; H0Weight is
/// P (B, T, C); Candidate is h̃ (B, T, C).</summary>
public sealed record CellDecomposition(Tensor Alpha, Tensor H0Weight, Tensor Candidate)
{
    /// <summary>The decomposition of a cell's gates. Products are exp of differences of cumulative log sums:
    /// Π_{k=j+1..t} a_k = exp(S_t − S_j), S_t = Σ_{k≤t} log a_k (a is clamped to the smallest normal number, so a
    /// gate that underflowed to 0 still gives a zero product rather than NaN).</summary>
    public static CellDecomposition Of(MinCellGates gates)
    {
        using var scope = NewDisposeScope();
        var tiny = gates.A.dtype == float64 ? 2.2250738585072014e-308 : 1.17549435e-38;   // smallest normal numbers
        var s = gates.A.clamp_min(tiny).log().cumsum(1);                    // S_t (B, T, C)
        var length = s.shape[1];
        var diff = s.unsqueeze(2) - s.unsqueeze(1);                          // S_t − S_j (B, T, T, C)
        var causal = ones(length, length, dtype: @bool, device: s.device).tril().unsqueeze(0).unsqueeze(-1);
        var decay = where(causal, diff, zeros_like(diff)).exp() * causal;   // Π_{k=j+1..t} a_k, 0 for j > t
        var alpha = decay * gates.B.unsqueeze(1);                            // α_{t,j} = b_j ⊙ Π a_k
        return new CellDecomposition(alpha.MoveToOuterDisposeScope(), s.exp().MoveToOuterDisposeScope(), gates.Candidate.MoveToOuterDisposeScope());
    }

    /// <summary>The decomposition of a min cell on its input x (B, T, d).</summary>
    public static CellDecomposition Of(IMinCell cell, Tensor x) => Of(cell.Gates(x));

    /// <summary>α_{t,j} ⊙ h̃_j (B, T, T, C): what input j contributes to h_t.</summary>
    public Tensor Contributions() => Alpha * Candidate.unsqueeze(1);

    /// <summary>h_t = Σ_j α_{t,j} ⊙ h̃_j + P_t ⊙ h_0 (B, T, C); h0 (B, C) or null for the zero state.</summary>
    public Tensor Hidden(Tensor? h0 = null)
    {
        var h = Contributions().sum(2);
        return h0 is null ? h : h + H0Weight * h0.unsqueeze(1);
    }

    /// <summary>α averaged over channels (B, T, T): the cell's implicit attention matrix.</summary>
    public Tensor ChannelMean() => Alpha.mean([-1]);
}
