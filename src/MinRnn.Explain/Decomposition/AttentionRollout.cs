using MinRnn.Cells;
using MinRnn.Explain.Attribution;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Decomposition;

/// <summary>Attention rollout (Abnar &amp; Zuidema 2020, "Quantifying Attention Flow in Transformers", arXiv 2005.00928,
/// §3) for transformer models: per layer the heads' mean attention Ā_l, the residual added as the identity and the rows
/// renormalised, Â_l = (Ā_l + I) / 2, then R = Â_{L−1} ⋯ Â_0. Row `step` of R (B, T, T) is the attribution; like the
/// decomposition it explains the position, so the target class does not change it. An optional conv or feed-forward
/// sub-block is position-local here.</summary>
public sealed class AttentionRollout : IAttributionMethod
{
    public string Name => "attention-rollout";

    public bool AppliesTo(CellKind kind) => kind.Mixing == PositionMixing.Attention;

    public Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets)
    {
        InputCheck.Targets(model, tokens, targets);
        if (!this.AppliesTo(model))
            throw new ArgumentException($"attention-rollout: needs attention cells ({this.Kinds()}), the model has '{model.Config.Cell}'");
        using var scope = NewDisposeScope();
        var device = model.parameters().First().device;
        var rollout = Of(model, tokens.to(device));                          // (B, L, L)
        var steps = tensor(targets.Steps.Select(s => (long)s).ToArray(), device: device);
        return rollout.index_select(1, steps).MoveToOuterDisposeScope();     // (B, S, L)
    }

    /// <summary>R (B, T, T) of a transformer model on tokens (B, T).</summary>
    public static Tensor Of(SequenceModel model, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (layers, _) = ModelTrace.Run(model, tokens);
        var attentions = layers.Select((layer, l) => model.Blocks[l].Cell is IAttentionCell cell ? cell.Attention(layer.CellInput)
            : throw new ArgumentException($"attention rollout: a {model.Blocks[l].Cell.GetType().Name} cell has no attention weights"));
        return Combine(attentions).MoveToOuterDisposeScope();
    }

    /// <summary>R = Â_{L−1} ⋯ Â_0 from each layer's attention (B, H, T, T), first layer first.</summary>
    public static Tensor Combine(IEnumerable<Tensor> attentions)
    {
        using var scope = NewDisposeScope();
        Tensor? rollout = null;
        foreach (var a in attentions)
        {
            var mean = a.mean([1]);                                                             // Ā over heads (B, T, T)
            var withResidual = mean + eye(mean.shape[1], dtype: mean.dtype, device: mean.device);
            var layer = withResidual / withResidual.sum(-1, keepdim: true);                     // rows sum to 1
            rollout = rollout is null ? layer : layer.matmul(rollout);
        }
        return (rollout ?? throw new ArgumentException("attention-rollout: no layer")).MoveToOuterDisposeScope();
    }
}
