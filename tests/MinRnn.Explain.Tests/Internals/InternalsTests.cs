using MinRnn.Tests;
using MinRnn.Explain.Internals;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Internals;

public class InternalsTests
{
    [Fact]
    public void TokenTypesFollowTheTaskConvention()
    {
        Assert.Equal(TokenType.Marker, TokenTypes.Of(0, 6));
        Assert.Equal(TokenType.Noise, TokenTypes.Of(5, 6));
        Assert.Equal(TokenType.Data, TokenTypes.Of(3, 6));
        var mask = TokenTypes.Mask(tensor(new long[] { 0, 1, 5, 4 }), 6, TokenType.Data);
        Assert.Equal(new[] { false, true, false, true }, mask.data<bool>().ToArray());
    }

    [Fact]
    public void MemoryCurveOfAConstantDecayIsGeometric()
    {
        var a = full(2, 20, 3, 0.8, dtype: float64);
        var curve = MemoryHorizon.Curve(0, a);
        for (var lag = 0; lag < 20; lag++)
            Assert.Equal(Math.Pow(0.8, lag), curve.Retention[lag], 12);
        Assert.Equal(5, curve.Horizon);                                       // 0.8⁴ = 0.41 ≥ 1/e > 0.8⁵ = 0.33
        Assert.Null(MemoryHorizon.Curve(0, full(1, 5, 1, 0.99, dtype: float64)).Horizon);
    }

    [Fact]
    public void PcaRecoversAPlanarTrajectory()
    {
        // points on a line in direction v (variance 4) plus a smaller orthogonal direction (variance 1)
        var t = linspace(-1, 1, 50, dtype: float64);
        var (u, v) = (tensor(new[] { 0.6, 0.8, 0.0 }), tensor(new[] { 0.0, 0.0, 1.0 }));
        var states = (2 * t.unsqueeze(1) * u + (t.square() - t.square().mean()).unsqueeze(1) * v).unsqueeze(0);
        var pca = HiddenStatePca.Project(0, states);
        Assert.Equal(new long[] { 1, 50, 2 }, pca.Projection.shape);
        Assert.Equal(1.0, pca.ExplainedVariance.Sum(), 12);
        Assert.True(pca.ExplainedVariance[0] > pca.ExplainedVariance[1]);
        var first = pca.Projection[0, TensorIndex.Colon, 0];
        Assert.True((first.abs() - (2 * t).abs()).abs().max().item<double>() < 1e-12);   // the line, up to sign
    }

    [Theory]
    [MemberData(nameof(CellCases.Min), MemberType = typeof(CellCases))]
    public void GateStatisticsCoverEveryTypeAndLayer(string cell)
    {
        using var model = Tiny.Model(cell, float32);
        using var batch = Tiny.Batch(4);
        var stats = GateStatistics.Compute(model, batch.Inputs);
        Assert.Equal(2 * 3, stats.Count);
        Assert.Equal(4 * 2, stats.Single(s => s.Layer == 0 && s.Type == TokenType.Marker).Count);
        Assert.All(stats, s => Assert.InRange(s.MeanWrite, 0, 1));
        if (cell == "mingru") Assert.All(stats, s => Assert.Equal(1, s.MeanWrite + s.MeanKeep, 5));   // z + (1 − z)
        Assert.Equal(2, MemoryHorizon.Compute(model, batch.Inputs).Count);
        Assert.Equal(2, HiddenStatePca.Compute(model, batch.Inputs).Count);
    }
}
