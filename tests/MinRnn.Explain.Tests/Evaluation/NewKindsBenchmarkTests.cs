using System.Diagnostics;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Tests.Attribution;
using MinRnn.Explain.Evaluation;
using MinRnn.Explain.Scoring;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Evaluation;

/// <summary>Every method that applies to Mamba and the transformer runs on a trained model and is scored against the
/// task's ground truth like the others.</summary>
public class NewKindsBenchmarkTests(TrainedTinyModels trained) : IClassFixture<TrainedTinyModels>
{
    [Theory]
    [InlineData("mamba", "saliency|ixg|ig|occlusion|decomposition")]
    [InlineData("transformer", "saliency|ixg|ig|occlusion|attention-rollout")]
    public void EveryMethodThatAppliesIsScored(string kind, string applicable)
    {
        var model = trained.Models[kind];
        var methods = AttributionMethods.Names.Where(n => AttributionMethods.Create(n).AppliesTo(model)).ToArray();
        Assert.Equal(applicable, string.Join("|", methods));
        using var data = Tiny.Task.Sample(6, 5, TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, Tiny.Task, data);
        using var randomized = ModelRandomization.Randomized(model, 99);
        foreach (var name in methods)
        {
            var method = AttributionMethods.Create(name, new IgOptions(16, IntegrationRule.GaussLegendre), cases.Filler);
            var (attributions, completeness) = ExplanationBenchmark.Attribute(method, model, cases);
            Assert.Equal(new long[] { 6, 2, 12 }, attributions.shape);
            Assert.True(attributions.isfinite().all().item<bool>(), $"{kind} {name}: non-finite attribution");
            // nothing after the output step: causal models
            Assert.Equal(0.0, attributions.select(1, 0).narrow(1, 11, 1).abs().max().item<double>());
            var scores = ExplanationBenchmark.Score(method, model, randomized, cases, attributions, completeness, Stopwatch.StartNew());
            Assert.Equal(12, scores.Cases);
            foreach (var (what, value) in new[] { ("pointing", scores.PointingGame), ("mass", scores.RelevanceMass), ("rank", scores.RelevanceRank),
                         ("deletion", scores.DeletionAuc), ("insertion", scores.InsertionAuc) })
                Assert.True(value is >= 0 and <= 1, $"{kind} {name} {what} = {value}");
            Assert.InRange(scores.RandomizationRankCorr, -1, 1);
            Assert.Equal(name == "ig", scores.IgCompletenessRelative is not null);
        }
    }

    [Theory]
    [InlineData("mamba")]
    [InlineData("transformer")]
    public void ScoringAMethodThatDoesNotApplyIsRefused(string kind)
    {
        var model = trained.Models[kind];
        var other = kind == "mamba" ? "attention-rollout" : "decomposition";
        using var data = Tiny.Task.Sample(2, 5, TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, Tiny.Task, data);
        var e = Assert.Throws<ArgumentException>(() => ExplanationBenchmark.Score(AttributionMethods.Create(other), model, model, cases));
        Assert.Equal($"{other}: does not apply to a '{kind}' model", e.Message);
    }
}
