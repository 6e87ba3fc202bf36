using MinRnn.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>Gradients of the target logits with respect to the input embeddings, through
/// SequenceModel.ForwardEmbeddings: one forward pass, one backward pass per target.</summary>
public static class TargetGradient
{
    /// <summary>F (B, S) at embeddings x (B, L, d) and ∂F_s/∂x (B, S, L, d); rows are independent, so the gradient
    /// of Σ_b F_{b,s} gives every row's own gradient.</summary>
    public static (Tensor F, Tensor Grad) Of(SequenceModel model, Tensor x, AttributionTargets targets)
    {
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var input = x.detach().requires_grad_(true);
        var f = targets.Select(model.ForwardEmbeddings(input, null).Logits);   // (B, S)
        var grads = new Tensor[targets.Count];
        for (var s = 0; s < targets.Count; s++)
            grads[s] = autograd.grad([f.select(1, s).sum()], [input], retain_graph: s < targets.Count - 1)[0];
        return (f.detach().MoveToOuterDisposeScope(), stack(grads, 1).MoveToOuterDisposeScope());
    }
}
