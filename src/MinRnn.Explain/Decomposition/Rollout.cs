using MinRnn.Cells;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Decomposition;

/// <summary>Token-level relevance through all layers of a min-cell model, from the exact per-layer decompositions.
/// Block l maps stream X to X + Out(Σ_j α_{t,j} ⊙ h̃_j); its mixing matrix weighs each path by the norm of what it
/// carries (norm-based, Kobayashi et al. 2020; rollout as in Abnar &amp; Zuidema 2020):
///   M_l[t, j] ∝ ‖Out(α_{t,j} ⊙ h̃_j)‖₂ + δ_{tj} ‖X_{l,t}‖₂,  rows normalised to 1,   R = M_{L−1} ⋯ M_0.
/// R[t, j] (B, T, T) is the share of output position t attributed to token j. The cell part is exact; treating the
/// residual by norms (and an optional conv or feed-forward sub-block as position-local) is the rollout's assumption.</summary>
public static class Rollout
{
    public static bool AppliesTo(SequenceModel model) => model.Blocks.All(b => b.Cell is IMinCell);

    public static Tensor Of(SequenceModel model, Tensor tokens)
    {
        if (!AppliesTo(model))
            throw new ArgumentException($"decomposition: needs minGRU or minLSTM cells, the model has '{model.Config.Cell}'");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (layers, _) = ModelTrace.Run(model, tokens);
        Tensor? rollout = null;
        for (var l = 0; l < layers.Length; l++)
        {
            var mixing = Mixing((IMinCell)model.Blocks[l].Cell, layers[l]);
            rollout = rollout is null ? mixing : mixing.matmul(rollout);
        }
        return rollout!.MoveToOuterDisposeScope();
    }

    /// <summary>M_l (B, T, T) of one block.</summary>
    public static Tensor Mixing(IMinCell cell, LayerTrace layer)
    {
        using var scope = NewDisposeScope();
        var d = CellDecomposition.Of(cell, layer.CellInput);
        var paths = cell.Output(d.Contributions()).norm(-1);                 // ‖Out(α_{t,j} ⊙ h̃_j)‖ (B, T, T)
        paths = paths + diag_embed(layer.Input.norm(-1));                    // + δ_{tj} ‖X_t‖
        return (paths / paths.sum(-1, keepdim: true).clamp_min(1e-30)).MoveToOuterDisposeScope();
    }
}
