using static TorchSharp.torch;

namespace MinRnn.Explain.Scoring;

/// <summary>Scores of relevance against a ground-truth mask, per case. Relevance r (N, L) is |attribution| (sign
/// ignored: a strongly negative token is still one the output depends on); the mask (N, L) marks the tokens the
/// output must depend on. Ties are shared fractionally, so a uniform r scores the chance value |mask| / L on all three.</summary>
public static class Localisation
{
    /// <summary>Pointing game (Zhang et al. 2018): 1 when the top-1 token is in the mask; with t tokens tied at the
    /// maximum, the share of them that is in the mask.</summary>
    public static Tensor PointingGame(Tensor relevance, Tensor mask)
    {
        var r = relevance.to_type(float64);
        var top = r.eq(r.max(-1, keepdim: true).values);
        return top.logical_and(mask).sum(-1).to_type(float64) / top.sum(-1).to_type(float64);
    }

    /// <summary>Relevance mass accuracy (Arras et al. 2022): Σ_{j∈mask} r_j / Σ_j r_j; an all-zero r counts as
    /// uniform.</summary>
    public static Tensor RelevanceMass(Tensor relevance, Tensor mask)
    {
        var r = relevance.to_type(float64);
        var total = r.sum(-1);
        var inside = (r * mask).sum(-1);
        var uniform = mask.sum(-1).to_type(float64) / r.shape[^1];
        return where(total > 0, inside / total.clamp_min(1e-300), uniform);
    }

    /// <summary>Relevance rank accuracy (Arras et al. 2022): with K = |mask|, the share of the K top-ranked tokens
    /// that lie in the mask; the tokens tied at the K-th value fill the remaining slots fractionally.
    /// With a one-token mask it equals the pointing game.</summary>
    public static Tensor RelevanceRank(Tensor relevance, Tensor mask)
    {
        var r = relevance.to_type(float64);
        var k = mask.sum(-1, keepdim: true);                                 // (N, 1)
        var sorted = r.sort(-1, descending: true).Values;
        var kth = sorted.gather(-1, (k - 1).clamp_min(0));                  // K-th largest value
        var above = r.gt(kth);
        var tied = r.eq(kth);
        var slots = (k - above.sum(-1, keepdim: true)).to_type(float64);
        var hits = above.logical_and(mask).sum(-1, keepdim: true).to_type(float64)
                 + tied.logical_and(mask).sum(-1, keepdim: true).to_type(float64) * slots / tied.sum(-1, keepdim: true).to_type(float64);
        return (hits / k.to_type(float64).clamp_min(1)).squeeze(-1);
    }
}
