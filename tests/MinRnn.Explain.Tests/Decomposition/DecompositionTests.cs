using MinRnn.Tests;
using MinRnn.Cells;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Decomposition;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Decomposition;

public class DecompositionTests
{
    [Theory]
    [MemberData(nameof(CellCases.Unrolling), MemberType = typeof(CellCases))]
    public void RolloutIsRowStochasticAndCausal(string kind)
    {
        using var model = Tiny.Model(kind, float64, layers: 3);
        using var batch = Tiny.Batch();
        var r = Rollout.Of(model, batch.Inputs);
        Assert.Equal(new long[] { 3, 12, 12 }, r.shape);
        Assert.True((r.sum(-1) - 1).abs().max().item<double>() < 1e-12);
        Assert.Equal(0.0, r.triu(1).abs().max().item<double>());
        Assert.True(r.min().item<double>() >= 0);
        var attr = new DecompositionAttribution().Attribute(model, batch.Inputs, new AttributionTargets([10, 11], batch.Targets));
        Assert.Equal(r.narrow(1, 10, 2), attr);
    }

    [Theory]
    [InlineData("minlstm")]
    [InlineData("lstm")]
    public void TraceAndEmbeddingsForwardGiveTheModelsLogits(string cell)
    {
        using var model = Tiny.Model(cell, float64, layers: 2, expansion: 1.5);
        using var batch = Tiny.Batch();
        var logits = model.Logits(batch.Inputs);
        Assert.Equal(0.0, (model.ForwardEmbeddings(model.Embed(batch.Inputs), null).Logits - logits).abs().max().item<double>());
        var (layers, traced) = ModelTrace.Run(model, batch.Inputs);
        Assert.Equal(0.0, (traced - logits).abs().max().item<double>());
        Assert.Equal(0.0, (layers[1].Input - layers[0].Output).abs().max().item<double>());
    }

    [Fact]
    public void BaselineCellsAreRefused()
    {
        using var model = Tiny.Model("gru", float32);
        Assert.False(new DecompositionAttribution().AppliesTo(model));
        var e = Assert.Throws<ArgumentException>(() => Rollout.Of(model, zeros(1, 4, dtype: int64)));
        Assert.Contains($"needs cells that unroll exactly ({CellCases.Named(PositionMixing.LinearRecurrence)})", e.Message);
    }
}
