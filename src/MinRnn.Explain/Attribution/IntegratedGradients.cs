using MinRnn.Cells;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>The reference input of integrated gradients.</summary>
public enum IgBaseline
{
    /// <summary>The embedding of the task's filler token (ISequenceTask.Filler) at every position; for selective
    /// copying its noise token, hence the name.</summary>
    Noise,
    /// <summary>The zero embedding.</summary>
    Zeros,
}

/// <summary>Settings of integrated gradients.</summary>
/// <param name="Steps">Quadrature nodes n of Gauss–Legendre and Riemann (64+ for the completeness bound with
/// Gauss–Legendre on GRU/LSTM); kink-aware: 2 + round(nℓ) nodes on each piece of length ℓ between kinks (n + 2 in
/// all for GRU/LSTM).</param>
/// <param name="KinkGrid">Kink-aware: grid steps M of the forward passes that locate the kinks (PathKinks).</param>
/// <param name="Filler">The task's filler token for the Noise baseline; null: vocab − 1 (selective copying's noise).</param>
public sealed record IgOptions(int Steps = 64, IntegrationRule Rule = IntegrationRule.KinkAware, IgBaseline Baseline = IgBaseline.Noise,
    int KinkGrid = 1024, long? Filler = null);

/// <summary>Attributions with their completeness check: Delta = Σ_j attr_j − (F(x) − F(x')), each (B, S); Nodes =
/// the gradient evaluations (quadrature nodes) of each example.</summary>
public sealed record IgResult(Tensor Attributions, Tensor Delta, Tensor Difference, int[] Nodes);

/// <summary>Integrated gradients (Sundararajan et al. 2017, as in Captum) on the embeddings:
/// attr_j = Σ_d (x − x')_{j,d} ∫₀¹ ∂F(x' + α(x − x'))/∂x_{j,d} dα, so Σ_j attr_j = F(x) − F(x') (completeness)
/// up to the quadrature error.</summary>
public sealed class IntegratedGradients(IgOptions? options = null) : IAttributionMethod
{
    public IgOptions Options { get; } = options ?? new IgOptions();

    public string Name => "ig";

    public bool AppliesTo(CellKind kind) => true;

    public Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets) =>
        AttributeWithDelta(model, tokens, targets).Attributions;

    public IgResult AttributeWithDelta(SequenceModel model, Tensor tokens, AttributionTargets targets)
    {
        InputCheck.Targets(model, tokens, targets);
        using var scope = NewDisposeScope();
        var x = model.Embed(tokens).detach();                                // (B, L, d)
        var baseline = Baseline(model, tokens, x);
        var dx = x - baseline;
        var rules = Enumerable.Range(0, (int)x.shape[0]).Select(b => Options.Rule == IntegrationRule.KinkAware
            ? Quadrature.Piecewise(PathKinks.Breakpoints(model, baseline[b], dx[b], Options.KinkGrid, ElementsPerPass / (x.shape[1] * x.shape[2])), Options.Steps)
            : Quadrature.Rule(Options.Rule, Options.Steps)).ToArray();
        var attr = PathIntegral(model, targets, baseline, dx, rules);
        using var noGrad = no_grad();
        var difference = targets.Select(model.ForwardEmbeddings(x, null).Logits) - targets.Select(model.ForwardEmbeddings(baseline, null).Logits);
        var delta = attr.sum(-1) - difference;
        return new IgResult(attr.MoveToOuterDisposeScope(), delta.MoveToOuterDisposeScope(), difference.MoveToOuterDisposeScope(),
            [.. rules.Select(r => r.Nodes.Length)]);
    }

    /// <summary>Tensor elements per forward/backward pass: bounds the points stacked along the batch.</summary>
    private const long ElementsPerPass = 1 << 20;

    /// <summary>attr (B, S, L) = Σ_m w_m Σ_d dx ⊙ ∂F/∂x at baseline + α_m·dx, with example b's own nodes α_m and
    /// weights w_m from rules[b]; the points of all examples are stacked along the batch, as many per pass as
    /// ElementsPerPass allows.</summary>
    private static Tensor PathIntegral(SequenceModel model, AttributionTargets targets, Tensor baseline, Tensor dx,
        (double[] Nodes, double[] Weights)[] rules)
    {
        var (rows, alphas, weights) = (new List<long>(), new List<double>(), new List<double>());
        for (var b = 0; b < rules.Length; b++)
        {
            rows.AddRange(Enumerable.Repeat((long)b, rules[b].Nodes.Length));
            alphas.AddRange(rules[b].Nodes);
            weights.AddRange(rules[b].Weights);
        }
        var classes = targets.Classes.to(dx.device);
        var integral = zeros([dx.shape[0], targets.Count, dx.shape[1]], dtype: float64, device: dx.device);
        var perPass = (int)Math.Max(1, ElementsPerPass / (targets.Count * dx.shape[1] * dx.shape[2]));
        for (var start = 0; start < rows.Count; start += perPass)
        {
            using var pass = NewDisposeScope();
            var count = Math.Min(perPass, rows.Count - start);
            var index = tensor(rows.GetRange(start, count).ToArray(), device: dx.device);
            var alpha = tensor(alphas.GetRange(start, count).ToArray(), dtype: dx.dtype, device: dx.device).view(-1, 1, 1);
            var d = dx.index_select(0, index);                               // (P, L, d)
            var (_, grad) = TargetGradient.Of(model, baseline.index_select(0, index) + alpha * d,
                targets with { Classes = classes.index_select(0, index) });  // (P, S, L, d)
            var w = tensor(weights.GetRange(start, count).ToArray(), device: dx.device).view(-1, 1, 1);
            integral.index_add_(0, index, (d.unsqueeze(1) * grad).sum(-1).to_type(float64) * w, 1);
        }
        return integral.to_type(dx.dtype);
    }

    private Tensor Baseline(SequenceModel model, Tensor tokens, Tensor x) => Options.Baseline switch
    {
        IgBaseline.Noise => model.Embed(full_like(tokens, Options.Filler ?? model.Config.Vocab - 1)).detach(),
        _ => zeros_like(x),
    };
}
