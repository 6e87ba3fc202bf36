using MinRnn.Cells;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>Saliency (Simonyan et al. 2014): the gradient norm per token, score_j = ‖∂F/∂e_j‖₂ over the embedding
/// dimensions. Non-negative; says how sensitive F is to token j, not in which direction.</summary>
public sealed class Saliency : IAttributionMethod
{
    public string Name => "saliency";

    public bool AppliesTo(CellKind kind) => true;

    public Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets)
    {
        InputCheck.Targets(model, tokens, targets);
        using var scope = NewDisposeScope();
        var (_, grad) = TargetGradient.Of(model, model.Embed(tokens), targets);   // (B, S, L, d)
        return grad.norm(-1).MoveToOuterDisposeScope();
    }
}
