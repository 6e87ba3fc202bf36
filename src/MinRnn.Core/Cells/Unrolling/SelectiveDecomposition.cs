using MinRnn.Cells;
using MinRnn.Scans;
using static TorchSharp.torch;

namespace MinRnn.Cells.Unrolling;

/// <summary>The exact unrolling of Mamba's selective scan (S6; docs/MODELS.md, "Exact decomposition"): with
/// Ā_k = exp(Δ_k A) and B̄_j x_j = Δ_j B_j x_j per channel and state,
///   h_t = Σ_{j≤t} (Π_{k=j+1..t} Ā_k) ⊙ B̄_j x_j + (Π_{k≤t} Ā_k) ⊙ h_0,   y_t = Σ_{j≤t} C_t · (…)_j + C_t · (…)_0 + D ⊙ x_t.
/// Contributions[b, t, j] (B, T, T, E) is what scan input j gives y_t, with the skip D ⊙ x_t on j = t and 0 for j &gt; t;
/// H0Output (B, T, E) the share of h_0 in y_t. State[b, j] (B, T, E, N) is what input j leaves in the final state h_T,
/// H0State (B, E, N) that of h_0. Σ_j Contributions + H0Output = y and Σ_j State + H0State = h_T.</summary>
public sealed record SelectiveDecomposition(Tensor Contributions, Tensor H0Output, Tensor State, Tensor H0State)
{
    /// <summary>The decomposition of one scan: the sequential scan with the state kept apart per source position,
    /// K_t[j] = Ā_t ⊙ K_{t−1}[j] for j &lt; t and K_t[t] = B̄_t x_t, so Σ_j K_t[j] is h_t. Memory (B, T, E, N).</summary>
    public static SelectiveDecomposition Of(SelectiveScanInputs s, Tensor? h0 = null)
    {
        using var scope = NewDisposeScope();
        var (batch, steps, width, n) = (s.U.shape[0], s.U.shape[1], s.A.shape[0], s.A.shape[1]);
        var kept = zeros(batch, steps, width, n, dtype: s.U.dtype, device: s.U.device);        // K_t[j] (B, T, E, N)
        var carried = h0?.clone() ?? zeros(batch, width, n, dtype: s.U.dtype, device: s.U.device);   // (Π Ā) ⊙ h_0
        var outputs = new Tensor[steps];
        var skips = new Tensor[steps];
        for (var t = 0; t < steps; t++)
        {
            using var step = NewDisposeScope();                                                  // one step's (B, T, E, N) temporaries
            var delta = s.Delta.select(1, t).unsqueeze(-1);                                      // (B, E, 1)
            var decay = (delta * s.A).exp();                                                     // Ā_t (B, E, N)
            var next = kept * decay.unsqueeze(1);                                                // rows j > t stay 0
            next.select(1, t).copy_(delta * s.U.select(1, t).unsqueeze(-1) * s.B.select(1, t).unsqueeze(1));   // B̄_t x_t
            var c = s.C.select(1, t).unsqueeze(1);                                               // C_t (B, 1, N)
            outputs[t] = (next * c.unsqueeze(1)).sum(-1).MoveToOuterDisposeScope();              // C_t · K_t[j] (B, T, E)
            var carriedNext = decay * carried;
            skips[t] = (carriedNext * c).sum(-1).MoveToOuterDisposeScope();                      // C_t · (Π Ā ⊙ h_0) (B, E)
            (kept, carried) = (Replace(kept, next), Replace(carried, carriedNext));
        }
        var contributions = stack(outputs, 1);                                                   // (B, T, T, E)
        contributions.diagonal(0, 1, 2).add_((s.D * s.U).transpose(1, 2));                      // + D ⊙ x_t on j = t
        return new SelectiveDecomposition(contributions.MoveToOuterDisposeScope(), stack(skips, 1).MoveToOuterDisposeScope(),
            kept.MoveToOuterDisposeScope(), carried.MoveToOuterDisposeScope());
    }

    /// <summary>`next` in the enclosing scope, `previous` freed.</summary>
    private static Tensor Replace(Tensor previous, Tensor next)
    {
        previous.Dispose();
        return next.MoveToOuterDisposeScope();
    }

    /// <summary>y_t = Σ_j Contributions[t, j] + H0Output_t (B, T, E).</summary>
    public Tensor Output() => Contributions.sum(2) + H0Output;

    /// <summary>h_T = Σ_j State[j] + H0State (B, E, N).</summary>
    public Tensor FinalState() => State.sum(1) + H0State;
}
