using MinRnn.Explain.Attribution;
using MinRnn.Explain.Evaluation;
using MinRnn.Explain.Scoring;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Evaluation;

public class CopyCasesTests
{
    [Fact]
    public void GroundTruthIsThePositionOfTheKthDataToken()
    {
        using var model = Tiny.Model("mingru", float32);
        using var batch = Tiny.Batch(3);
        var cases = CopyCases.Of(model, Tiny.Task, batch);
        Assert.Equal(new[] { 10, 11 }, cases.Targets.Steps);
        Assert.Equal(new long[] { 3, 2, 12 }, cases.Mask.shape);
        Assert.True(cases.Mask.sum(-1).eq(1).all().item<bool>());
        for (var b = 0; b < 3; b++)
            for (var k = 0; k < 2; k++)
            {
                var p = batch.Positions[b, k].item<long>();
                Assert.True(cases.Mask[b, k, p].item<bool>());
                Assert.Equal(batch.Targets[b, k].item<long>(), batch.Inputs[b, p].item<long>());   // the token to copy
            }
    }

    [Fact]
    public void AnOracleAttributionScoresOneAndUniformScoresChance()
    {
        using var model = Tiny.Model("minlstm", float32);
        using var batch = Tiny.Batch(4);
        var cases = CopyCases.Of(model, Tiny.Task, batch);
        var (relevance, mask) = (CopyCases.Flatten(cases.Mask.to_type(float64)), CopyCases.Flatten(cases.Mask));
        Assert.Equal(1.0, Localisation.PointingGame(relevance, mask).mean().item<double>(), 15);
        Assert.Equal(1.0, Localisation.RelevanceMass(relevance, mask).mean().item<double>(), 15);
        var uniform = ones_like(relevance);
        Assert.Equal(1.0 / 12, Localisation.PointingGame(uniform, mask).mean().item<double>(), 15);
        Assert.Equal(1.0 / 12, Localisation.RelevanceRank(uniform, mask).mean().item<double>(), 15);
    }

    [Fact]
    public void WrongVocabularyOrLengthIsAClearError()
    {
        using var model = Tiny.Model("mingru", float32);
        using var batch = Tiny.Batch(2);
        var e = Assert.Throws<ArgumentException>(() => CopyCases.Of(model, new SelectiveCopying(10, 2, 8), new SelectiveCopying(10, 2, 8).Sample(2, 1)));
        Assert.Contains("vocab: the model has 6 tokens, the task 8", e.Message);
        e = Assert.Throws<ArgumentException>(() => CopyCases.Check(model, Tiny.Task, batch.Inputs.narrow(1, 0, 11)));
        Assert.Contains("expected length T + K = 12", e.Message);
    }

    [Fact]
    public void BenchmarkScoresEveryMethodWithinRange()
    {
        using var model = Tiny.Model("mingru", float32, layers: 1);
        using var fresh = ModelRandomization.Randomized(model, 9);
        using var batch = Tiny.Batch(4);
        var cases = CopyCases.Of(model, Tiny.Task, batch);
        foreach (var name in AttributionMethods.Names)
        {
            var s = ExplanationBenchmark.Score(AttributionMethods.Create(name, new IgOptions(8)), model, fresh, cases, batch: 3);
            Assert.Equal(8, s.Cases);
            foreach (var v in new[] { s.PointingGame, s.RelevanceMass, s.RelevanceRank, s.DeletionAuc, s.InsertionAuc })
                Assert.InRange(v, 0, 1);
            Assert.Equal(name == "ig", s.IgCompletenessDelta is not null);
        }
    }
}
