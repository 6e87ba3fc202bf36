using MinRnn.Cells;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>Input × gradient (Shrikumar et al. 2016): score_j = Σ_d e_{j,d} · ∂F/∂e_{j,d}, the first-order Taylor
/// term of F around a zero embedding. Signed.</summary>
public sealed class InputXGradient : IAttributionMethod
{
    public string Name => "ixg";

    public bool AppliesTo(CellKind kind) => true;

    public Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets)
    {
        InputCheck.Targets(model, tokens, targets);
        using var scope = NewDisposeScope();
        var x = model.Embed(tokens);                                         // (B, L, d)
        var (_, grad) = TargetGradient.Of(model, x, targets);                 // (B, S, L, d)
        return (x.detach().unsqueeze(1) * grad).sum(-1).MoveToOuterDisposeScope();
    }
}
