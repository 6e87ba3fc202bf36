using MinRnn.Explain.Attribution;
using MinRnn.Explain.Scoring;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Scoring;

public class RandomizationTests
{
    [Fact]
    public void SpearmanMatchesKnownValues()
    {
        Assert.Equal(1.0, RankCorrelation.Spearman([1, 2, 3, 4], [10, 20, 30, 45]), 15);
        Assert.Equal(-1.0, RankCorrelation.Spearman([1, 2, 3, 4], [4, 3, 2, 1]), 15);
        // ranks [1, 2.5, 2.5, 4, 5] and [2, 1, 4.5, 4.5, 3]: Σ dx·dy = 3.75, Σ dx² = Σ dy² = 9.5
        Assert.Equal(3.75 / 9.5, RankCorrelation.Spearman([1, 2, 2, 3, 5], [2, 1, 4, 4, 3]), 14);
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1, 1, 1], [1, 2, 3])));
        Assert.Equal([1.5, 1.5, 3], RankCorrelation.AverageRanks([7, 7, 9]));
    }

    [Fact]
    public void CorrelationUsesTheMaskedPositionsOnly()
    {
        // identical (zeros) where the mask is off, reversed where it is on
        var a = tensor(new double[,] { { 1, 0, 2, 3, 0, 0 } });
        var b = tensor(new double[,] { { 3, 0, 2, 1, 0, 0 } });
        var mask = tensor(new[,] { { true, false, true, true, false, false } });
        Assert.Equal(-1.0, ModelRandomization.MeanRankCorrelation(a, b, mask), 14);
        Assert.Equal(1.0, ModelRandomization.MeanRankCorrelation(a, a, mask), 14);
        Assert.True(ModelRandomization.MeanRankCorrelation(a, b, ones_like(mask)) > -1);   // shared zeros pull ρ up
    }

    [Fact]
    public void RandomizedModelHasTheSameShapeAndDifferentWeights()
    {
        using var model = Tiny.Model("minlstm", float64);
        using var fresh = ModelRandomization.Randomized(model, seed: 42);
        Assert.Equal(model.Config, fresh.Config);
        var (p, q) = (model.parameters().First(), fresh.parameters().First());
        Assert.Equal(float64, q.dtype);
        Assert.False(p.allclose(q));
        using var batch = Tiny.Batch();
        var targets = AttributionTargets.Single(10, batch.Targets.select(1, 0));
        var rho = ModelRandomization.MeanRankCorrelation(new Saliency().Attribute(model, batch.Inputs, targets).squeeze(1),
            new Saliency().Attribute(fresh, batch.Inputs, targets).squeeze(1), arange(12).le(10).unsqueeze(0).expand(3, -1));
        Assert.InRange(rho, -1, 1);
    }
}
