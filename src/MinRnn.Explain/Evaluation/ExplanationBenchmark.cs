using System.Diagnostics;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Scoring;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Evaluation;

/// <summary>Scores an attribution method against a task's ground-truth relevance mask: attributions for every case
/// (in batches), pointing game, relevance mass and rank, deletion and insertion AUC, and the rank correlation with
/// the same method on a randomised model.</summary>
public static class ExplanationBenchmark
{
    /// <summary>Attributions (B, A, L) for all cases, in batches of `batch` examples; IG also returns its
    /// completeness check.</summary>
    public static (Tensor Attributions, IgCompleteness? Completeness) Attribute(IAttributionMethod method,
        SequenceModel model, TaskCases cases, int batch = 16)
    {
        var device = model.parameters().First().device;
        var parts = new List<Tensor>();
        double deltaSum = 0, differenceSum = 0, maxRelative = 0;
        var nodes = new List<int>();
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
                var (delta, difference) = (result.Delta.abs().to_type(float64), result.Difference.abs().to_type(float64));
                deltaSum += delta.sum().item<double>();
                differenceSum += difference.sum().item<double>();
                maxRelative = Math.Max(maxRelative, (delta / difference.clamp_min(1e-300)).max().item<double>());
                nodes.AddRange(result.Nodes);
                attr = result.Attributions;
            }
            else
                attr = method.Attribute(model, tokens, targets);
            parts.Add(attr.detach().to_type(float64).cpu().MoveToOuterDisposeScope());
        }
        var all = cat(parts, 0);
        var count = (double)all.shape[0] * all.shape[1];
        return method is IntegratedGradients
            ? (all, new IgCompleteness(deltaSum / count, differenceSum / count, maxRelative, nodes.Average(), nodes.Max()))
            : (all, null);
    }

    public static MethodScores Score(IAttributionMethod method, SequenceModel model, SequenceModel randomized, TaskCases cases, int batch = 16)
    {
        if (!method.AppliesTo(model))
            throw new ArgumentException($"{method.Name}: does not apply to a '{model.Config.Cell}' model");
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var (attributions, completeness) = Attribute(method, model, cases, batch);
        return Score(method, model, randomized, cases, attributions, completeness, clock, batch);
    }

    /// <summary>Scores from attributions already computed (B, A, L).</summary>
    public static MethodScores Score(IAttributionMethod method, SequenceModel model, SequenceModel randomized, TaskCases cases,
        Tensor attributions, IgCompleteness? completeness, Stopwatch clock, int batch = 16)
    {
        using var scope = NewDisposeScope();
        var relevance = TaskCases.Flatten(attributions).abs();               // (B·A, L)
        var mask = TaskCases.Flatten(cases.Mask);
        var (tokens, steps, classes) = cases.Rows();
        var device = model.parameters().First().device;
        var (deletion, insertion) = PerturbationCurves.Compute(t => model.Logits(t.to(device)), tokens, steps, classes,
            relevance, cases.Filler);
        var (random, _) = Attribute(method, randomized, cases, batch);
        // compared on the informative positions: causal (≤ step) and not the task's filler
        var informative = arange(tokens.shape[1]).unsqueeze(0).le(steps.unsqueeze(1)).logical_and(tokens.ne(cases.Filler));
        var rho = ModelRandomization.MeanRankCorrelation(relevance, TaskCases.Flatten(random), informative);
        return new MethodScores(
            Localisation.PointingGame(relevance, mask).mean().item<double>(),
            Localisation.RelevanceMass(relevance, mask).mean().item<double>(),
            Localisation.RelevanceRank(relevance, mask).mean().item<double>(),
            deletion.Auc, insertion.Auc, rho,
            completeness?.Delta, completeness is null ? null : completeness.Delta / Math.Max(completeness.Difference, 1e-300),
            completeness?.MaxRelative, (int)relevance.shape[0], Math.Round(clock.Elapsed.TotalSeconds, 3));
    }
}
