using MinRnn.Cells;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Decomposition;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Decomposition;

/// <summary>Attention rollout (Abnar &amp; Zuidema 2020, arXiv 2005.00928) against a hand computation and a direct
/// matrix loop, on a transformer model, and refused for every kind without attention.</summary>
public class AttentionRolloutTests
{
    private static Tensor Matrix(double[,] m) => tensor(m, dtype: float64);

    /// <summary>Two layers of two heads over three positions. By hand: Â_0 rows [1, 0, 0], [.3, .7, 0], [.2, .15, .65];
    /// Â_1 rows [1, 0, 0], [.175, .825, 0], [.125, .125, .75]; R = Â_1 Â_0.</summary>
    [Fact]
    public void HandBuiltCaseMatchesTheHandComputation()
    {
        var layer0 = stack([Matrix(new[,] { { 1, 0, 0 }, { .3, .7, 0 }, { .2, .5, .3 } }), Matrix(new[,] { { 1, 0, 0 }, { .9, .1, 0 }, { .6, .1, .3 } })]).unsqueeze(0);
        var layer1 = stack([Matrix(new[,] { { 1, 0, 0 }, { .5, .5, 0 }, { .1, .1, .8 } }), Matrix(new[,] { { 1, 0, 0 }, { .2, .8, 0 }, { .4, .4, .2 } })]).unsqueeze(0);
        var r = AttentionRollout.Combine([layer0, layer1])[0];
        double[,] expected = { { 1, 0, 0 }, { .4225, .5775, 0 }, { .3125, .2, .4875 } };
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(expected[i, j], r[i, j].item<double>(), 14);
    }

    /// <summary>Random causal attention, three layers of four heads: the rollout against loops over plain arrays.</summary>
    [Fact]
    public void MatchesADirectMatrixComputation()
    {
        const int layers = 3, heads = 4, t = 5;
        random.manual_seed(7);
        var causal = ones(t, t, dtype: ScalarType.Bool).tril();
        var attentions = Enumerable.Range(0, layers)
            .Select(_ => randn(2, heads, t, t, dtype: float64).masked_fill(causal.logical_not(), double.NegativeInfinity).softmax(-1)).ToArray();
        var r = AttentionRollout.Combine(attentions);
        for (var b = 0; b < 2; b++)
        {
            var rollout = Identity(t);
            foreach (var a in attentions)
            {
                var layer = new double[t, t];
                for (var i = 0; i < t; i++)
                {
                    double row = 0;
                    for (var j = 0; j < t; j++)
                    {
                        double mean = 0;
                        for (var h = 0; h < heads; h++) mean += a[b, h, i, j].item<double>() / heads;
                        layer[i, j] = mean + (i == j ? 1 : 0);
                        row += layer[i, j];
                    }
                    for (var j = 0; j < t; j++) layer[i, j] /= row;
                }
                rollout = Multiply(layer, rollout);
            }
            for (var i = 0; i < t; i++)
                for (var j = 0; j < t; j++)
                    Assert.Equal(rollout[i, j], r[b, i, j].item<double>(), 14);
        }
    }

    private static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (var i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var m = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                for (var k = 0; k < n; k++)
                    m[i, j] += a[i, k] * b[k, j];
        return m;
    }

    [Fact]
    public void TransformerRolloutIsRowStochasticCausalAndReadsEachLayersAttention()
    {
        using var model = Tiny.Model("transformer", float64, layers: 2);
        using var batch = Tiny.Batch();
        var r = AttentionRollout.Of(model, batch.Inputs);
        Assert.Equal(new long[] { 3, 12, 12 }, r.shape);
        Assert.True((r.sum(-1) - 1).abs().max().item<double>() < 1e-12);
        Assert.Equal(0.0, r.triu(1).abs().max().item<double>());
        var (layers, _) = ModelTrace.Run(model, batch.Inputs);
        var attentions = layers.Select((layer, l) => ((Transformer)model.Blocks[l].Cell).Attention(layer.CellInput)).ToArray();
        Assert.Equal(new long[] { 3, 4, 12, 12 }, attentions[0].shape);
        Assert.Equal(AttentionRollout.Combine(attentions), r);
        var attr = new AttentionRollout().Attribute(model, batch.Inputs, new AttributionTargets([10, 11], batch.Targets));
        Assert.Equal(r.narrow(1, 10, 2), attr);
    }

    /// <summary>Each head's weights are a distribution over the positions so far.</summary>
    [Fact]
    public void AttentionRowsAreCausalDistributions()
    {
        random.manual_seed(2);
        using var cell = new Transformer(new CellOptions(Dim: 8, Heads: 2));
        cell.to(float64);
        var x = randn(2, 6, 8, dtype: float64);
        var a = cell.Attention(x);
        Assert.True((a.sum(-1) - 1).abs().max().item<double>() < 1e-14);
        Assert.Equal(0.0, a.triu(1).abs().max().item<double>());
    }

    [Theory]
    [MemberData(nameof(CellCases.All), MemberType = typeof(CellCases))]
    public void EachKindGetsTheRolloutThatReadsItsMixing(string kind)
    {
        using var model = Tiny.Model(kind, float32, layers: 1);
        var attends = CellKinds.Get(kind).Mixing == PositionMixing.Attention;
        var unrolls = CellKinds.Get(kind).Mixing == PositionMixing.LinearRecurrence;
        Assert.Equal(attends, new AttentionRollout().AppliesTo(model));
        Assert.Equal(unrolls, new DecompositionAttribution().AppliesTo(model));
        using var batch = Tiny.Batch(1);
        var targets = new AttributionTargets([10], batch.Targets.narrow(1, 0, 1));
        if (!attends)
        {
            var e = Assert.Throws<ArgumentException>(() => new AttentionRollout().Attribute(model, batch.Inputs, targets));
            Assert.Equal($"attention-rollout: needs attention cells ({CellCases.Named(PositionMixing.Attention)}), the model has '{kind}'", e.Message);
        }
        if (!unrolls)
        {
            var e = Assert.Throws<ArgumentException>(() => new DecompositionAttribution().Attribute(model, batch.Inputs, targets));
            Assert.Equal($"decomposition: needs cells that unroll exactly ({CellCases.Named(PositionMixing.LinearRecurrence)}), the model has '{kind}'", e.Message);
        }
    }
}
