using MinRnn.Cells;
using MinRnn.Cells.Unrolling;
using MinRnn.Explain.Attribution;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Decomposition;

/// <summary>Token-level relevance through all layers of a model whose cells unroll exactly (min cells, Mamba's S6), from
/// the per-layer decompositions. Block l maps stream X to X + Cell(X), Cell(X)_t = Σ_j c_{t,j}; its mixing matrix weighs
/// each path by the norm of what it carries (norm-based, Kobayashi et al. 2020; rollout as in Abnar &amp; Zuidema 2020):
///   M_l[t, j] ∝ ‖c_{t,j}‖₂ + δ_{tj} ‖X_{l,t}‖₂,  rows normalised to 1,   R = M_{L−1} ⋯ M_0.
/// c_{t,j} is the cell's own unrolling (IUnrollingCell): Out(α_{t,j} ⊙ h̃_j) for a min cell (CellDecomposition) and
/// out_proj(C_t · (Π Ā) B̄_j x_j ⊙ SiLU(z_t)) for Mamba (SelectiveDecomposition). R[t, j] (B, T, T) is the share of output position t attributed to token j. The cell
/// part is exact; treating the residual by norms (and an optional conv or feed-forward sub-block, and Mamba's own conv,
/// as position-local) is the rollout's assumption.</summary>
public static class Rollout
{
    public static bool AppliesTo(CellKind kind) => kind.Mixing == PositionMixing.LinearRecurrence;

    public static bool AppliesTo(SequenceModel model) => AppliesTo(CellKinds.Get(model.Config.Cell));

    public static Tensor Of(SequenceModel model, Tensor tokens)
    {
        if (!AppliesTo(model))
            throw new ArgumentException($"decomposition: needs cells that unroll exactly ({Kinds}), the model has '{model.Config.Cell}'");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (layers, _) = ModelTrace.Run(model, tokens);
        Tensor? rollout = null;
        for (var l = 0; l < layers.Length; l++)
        {
            var mixing = Mixing(model.Blocks[l].Cell, layers[l]);
            rollout = rollout is null ? mixing : mixing.matmul(rollout);
        }
        return rollout!.MoveToOuterDisposeScope();
    }

    private static string Kinds => new DecompositionAttribution().Kinds();

    /// <summary>M_l (B, T, T) of one block.</summary>
    public static Tensor Mixing(RecurrentCell cell, LayerTrace layer)
    {
        using var scope = NewDisposeScope();
        var paths = CellContributions(cell, layer.CellInput).norm(-1);      // ‖c_{t,j}‖ (B, T, T)
        paths = paths + diag_embed(layer.Input.norm(-1));                    // + δ_{tj} ‖X_t‖
        return (paths / paths.sum(-1, keepdim: true).clamp_min(1e-30)).MoveToOuterDisposeScope();
    }

    /// <summary>c_{t,j} (B, T, T, d): what the cell's input j contributes to its output t; Σ_j c_{t,j} is the output.</summary>
    public static Tensor CellContributions(RecurrentCell cell, Tensor x) => cell is IUnrollingCell unrolling
        ? unrolling.Contributions(x)
        : throw new ArgumentException($"decomposition: a {cell.GetType().Name} cell does not unroll exactly ({Kinds} do)");
}
