using System.Diagnostics;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Scoring;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Evaluation;

/// <summary>Scores an attribution method against the ground truth of selective copying: attributions for every case
/// (in batches), pointing game, relevance mass and rank, deletion and insertion AUC, and the rank correlation with
/// the same method on a randomised model.</summary>
public static class ExplanationBenchmark
{
    /// <summary>Attributions (B, K, L) for all cases, in batches of `batch` examples; IG also returns its mean
    /// |delta| and mean |F(x) − F(x')|.</summary>
    public static (Tensor Attributions, double? Delta, double? Difference) Attribute(IAttributionMethod method,
        SequenceModel model, CopyCases cases, int batch = 16)
    {
        var device = model.parameters().First().device;
        var parts = new List<Tensor>();
        double deltaSum = 0, differenceSum = 0;
        for (long start = 0; start < cases.Tokens.shape[0]; start += batch)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(batch, cases.Tokens.shape[0] - start);
            var tokens = cases.Tokens.narrow(0, start, n).to(device);
            var targets = cases.Targets with { Classes = cases.Targets.Classes.narrow(0, start, n).to(device) };
            Tensor attr;
            if (method is IntegratedGradients ig)
            {
                var result = ig.AttributeWithDelta(model, tokens, targets);
                deltaSum += result.Delta.abs().sum().to_type(float64).item<double>();
                differenceSum += result.Difference.abs().sum().to_type(float64).item<double>();
                attr = result.Attributions;
            }
            else
                attr = method.Attribute(model, tokens, targets);
            parts.Add(attr.detach().to_type(float64).cpu().MoveToOuterDisposeScope());
        }
        var all = cat(parts, 0);
        var count = (double)all.shape[0] * all.shape[1];
        return method is IntegratedGradients ? (all, deltaSum / count, differenceSum / count) : (all, null, null);
    }

    public static MethodScores Score(IAttributionMethod method, SequenceModel model, SequenceModel randomized, CopyCases cases, int batch = 16)
    {
        if (!method.AppliesTo(model))
            throw new ArgumentException($"{method.Name}: does not apply to a '{model.Config.Cell}' model");
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var (attributions, delta, difference) = Attribute(method, model, cases, batch);
        return Score(method, model, randomized, cases, attributions, delta, difference, clock, batch);
    }

    /// <summary>Scores from attributions already computed (B, K, L).</summary>
    public static MethodScores Score(IAttributionMethod method, SequenceModel model, SequenceModel randomized, CopyCases cases,
        Tensor attributions, double? delta, double? difference, Stopwatch clock, int batch = 16)
    {
        using var scope = NewDisposeScope();
        var relevance = CopyCases.Flatten(attributions).abs();               // (B·K, L)
        var mask = CopyCases.Flatten(cases.Mask);
        var (tokens, steps, classes) = cases.Rows();
        var device = model.parameters().First().device;
        var (deletion, insertion) = PerturbationCurves.Compute(t => model.Logits(t.to(device)), tokens, steps, classes,
            relevance, filler: model.Config.Vocab - 1);
        var (random, _, _) = Attribute(method, randomized, cases, batch);
        // compared on the informative positions: causal (≤ step) and not the noise filler
        var informative = arange(tokens.shape[1]).unsqueeze(0).le(steps.unsqueeze(1)).logical_and(tokens.ne(model.Config.Vocab - 1));
        var rho = ModelRandomization.MeanRankCorrelation(relevance, CopyCases.Flatten(random), informative);
        return new MethodScores(
            Localisation.PointingGame(relevance, mask).mean().item<double>(),
            Localisation.RelevanceMass(relevance, mask).mean().item<double>(),
            Localisation.RelevanceRank(relevance, mask).mean().item<double>(),
            deletion.Auc, insertion.Auc, rho,
            delta, delta is null ? null : delta / Math.Max(difference ?? 0, 1e-300),
            (int)relevance.shape[0], Math.Round(clock.Elapsed.TotalSeconds, 3));
    }
}
