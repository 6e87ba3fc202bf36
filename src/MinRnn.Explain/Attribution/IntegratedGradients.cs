using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>The reference input of integrated gradients.</summary>
public enum IgBaseline
{
    /// <summary>The noise token's embedding at every position (token vocab − 1, the selective-copying filler).</summary>
    Noise,
    /// <summary>The zero embedding.</summary>
    Zeros,
}

/// <summary>Settings of integrated gradients.</summary>
/// <param name="Steps">Quadrature nodes n (64+ for the completeness bound with Gauss–Legendre).</param>
public sealed record IgOptions(int Steps = 64, IntegrationRule Rule = IntegrationRule.GaussLegendre, IgBaseline Baseline = IgBaseline.Noise);

/// <summary>Attributions with their completeness check: Delta = Σ_j attr_j − (F(x) − F(x')), each (B, S).</summary>
public sealed record IgResult(Tensor Attributions, Tensor Delta, Tensor Difference);

/// <summary>Integrated gradients (Sundararajan et al. 2017, as in Captum) on the embeddings:
/// attr_j = Σ_d (x − x')_{j,d} ∫₀¹ ∂F(x' + α(x − x'))/∂x_{j,d} dα, so Σ_j attr_j = F(x) − F(x') (completeness)
/// up to the quadrature error.</summary>
public sealed class IntegratedGradients(IgOptions? options = null) : IAttributionMethod
{
    public IgOptions Options { get; } = options ?? new IgOptions();

    public string Name => "ig";

    public bool AppliesTo(SequenceModel model) => true;

    public Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets) =>
        AttributeWithDelta(model, tokens, targets).Attributions;

    public IgResult AttributeWithDelta(SequenceModel model, Tensor tokens, AttributionTargets targets)
    {
        InputCheck.Targets(model, tokens, targets);
        using var scope = NewDisposeScope();
        var (nodes, weights) = Quadrature.Rule(Options.Rule, Options.Steps);
        var x = model.Embed(tokens).detach();                                // (B, L, d)
        var baseline = Baseline(model, tokens, x);
        var dx = x - baseline;
        Tensor? integral = null;                                             // Σ_m w_m ∂F/∂x at α_m: (B, S, L, d)
        for (var m = 0; m < nodes.Length; m++)
        {
            using var step = NewDisposeScope();
            var (_, grad) = TargetGradient.Of(model, baseline + nodes[m] * dx, targets);
            var term = grad * weights[m];
            integral = integral is null ? term.MoveToOuterDisposeScope() : integral.add_(term);
        }
        var attr = (dx.unsqueeze(1) * integral!).sum(-1);                  // (B, S, L)
        using var noGrad = no_grad();
        var difference = targets.Select(model.ForwardEmbeddings(x, null).Logits) - targets.Select(model.ForwardEmbeddings(baseline, null).Logits);
        var delta = attr.sum(-1) - difference;
        return new IgResult(attr.MoveToOuterDisposeScope(), delta.MoveToOuterDisposeScope(), difference.MoveToOuterDisposeScope());
    }

    private Tensor Baseline(SequenceModel model, Tensor tokens, Tensor x) => Options.Baseline switch
    {
        IgBaseline.Noise => model.Embed(full_like(tokens, model.Config.Vocab - 1)).detach(),
        _ => zeros_like(x),
    };
}
