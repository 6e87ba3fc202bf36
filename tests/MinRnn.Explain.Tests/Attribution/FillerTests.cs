using MinRnn.Explain.Attribution;
using MinRnn.Explain.Evaluation;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Attribution;

/// <summary>Occlusion and the IG baseline use the task's filler: on missing duplicate the blank (4), where
/// vocab − 1 (5) is the query token, so the two choices give different numbers.</summary>
public class FillerTests
{
    private static readonly MissingDuplicate Task = new(SeqLen: 8, Alphabet: 4);

    [Fact]
    public void OcclusionReplacesByTheTasksFillerNotTheLastToken()
    {
        using var model = Tiny.Model("minlstm", float64);
        using var batch = Task.Sample(3, 7, TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, Task, batch);
        var scores = AttributionMethods.Create("occlusion", filler: cases.Filler).Attribute(model, cases.Tokens, cases.Targets);
        var f = cases.Targets.Select(model.Logits(cases.Tokens));
        foreach (var pos in new[] { 0, 5, 8 })
        {
            var occluded = cases.Tokens.clone();
            occluded[TensorIndex.Colon, pos] = tensor(4L);
            var expected = f - cases.Targets.Select(model.Logits(occluded));
            Assert.True((scores.select(2, pos) - expected).abs().max().item<double>() < 1e-12, $"position {pos}");
        }
        var lastToken = new Occlusion().Attribute(model, cases.Tokens, cases.Targets);
        Assert.True((scores - lastToken).abs().max().item<double>() > 1e-6, "filler 4 and token 5 should differ");
    }

    [Fact]
    public void IgNoiseBaselineIsTheFillerEmbedding()
    {
        using var model = Tiny.Model("gru", float64);
        using var batch = Task.Sample(2, 7, TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, Task, batch);
        var ig = (IntegratedGradients)AttributionMethods.Create("ig", new IgOptions(8, IntegrationRule.GaussLegendre), cases.Filler);
        var result = ig.AttributeWithDelta(model, cases.Tokens, cases.Targets);
        using var _ = no_grad();
        var f = cases.Targets.Select(model.Logits(cases.Tokens));
        var fromBlank = f - cases.Targets.Select(model.Logits(full_like(cases.Tokens, 4)));
        var fromQuery = f - cases.Targets.Select(model.Logits(full_like(cases.Tokens, 5)));
        Assert.True((result.Difference - fromBlank).abs().max().item<double>() < 1e-12);
        Assert.True((result.Difference - fromQuery).abs().max().item<double>() > 1e-6);
    }
}
