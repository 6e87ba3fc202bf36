using MinRnn.Explain.Attribution;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Attribution;

public class GradientMethodsTests
{
    [Theory]
    [InlineData("mingru")]
    [InlineData("lstm")]
    [InlineData("mamba")]
    [InlineData("transformer")]
    public void GradientMatchesCentralFiniteDifferences(string cell)
    {
        using var model = Tiny.Model(cell, float64);
        using var batch = Tiny.Batch(2);
        var targets = AttributionTargets.Single(10, batch.Targets.select(1, 0));
        var x = model.Embed(batch.Inputs).detach();
        var (f, grad) = TargetGradient.Of(model, x, targets);
        const double h = 1e-6;
        foreach (var (row, pos, dim) in new[] { (0, 3, 2), (1, 9, 5), (1, 10, 0) })
        {
            var (plus, minus) = (x.clone(), x.clone());
            plus[row, pos, dim] += h;
            minus[row, pos, dim] -= h;
            using var _ = no_grad();
            var fd = (targets.Select(model.ForwardEmbeddings(plus, null).Logits) - targets.Select(model.ForwardEmbeddings(minus, null).Logits))[row, 0].item<double>() / (2 * h);
            Assert.Equal(fd, grad[row, 0, pos, dim].item<double>(), 1e-6);
        }
        Assert.Equal(new long[] { 2, 1 }, f.shape);
    }

    [Fact]
    public void SaliencyAndInputXGradientFollowTheirDefinitions()
    {
        using var model = Tiny.Model("minlstm", float64);
        using var batch = Tiny.Batch(2);
        var targets = new AttributionTargets([10, 11], batch.Targets);
        var x = model.Embed(batch.Inputs).detach();
        var (_, grad) = TargetGradient.Of(model, x, targets);
        var saliency = new Saliency().Attribute(model, batch.Inputs, targets);
        var ixg = new InputXGradient().Attribute(model, batch.Inputs, targets);
        Assert.True((grad.square().sum(-1).sqrt() - saliency).abs().max().item<double>() < 1e-14);
        Assert.True(((x.unsqueeze(1) * grad).sum(-1) - ixg).abs().max().item<double>() < 1e-12);
        Assert.Equal(0.0, saliency.narrow(2, 11, 1).select(1, 0).abs().max().item<double>());   // step 10 cannot see 11
    }

    [Fact]
    public void OcclusionIsTheChangeWhenATokenBecomesNoise()
    {
        using var model = Tiny.Model("gru", float64);
        using var batch = Tiny.Batch(3);
        var targets = new AttributionTargets([10, 11], batch.Targets);
        var scores = new Occlusion(chunkRows: 7).Attribute(model, batch.Inputs, targets);
        var f = targets.Select(model.Logits(batch.Inputs));
        foreach (var pos in new[] { 0, 4, 10, 11 })
        {
            var occluded = batch.Inputs.clone();
            occluded[TensorIndex.Colon, pos] = tensor(5L);
            var expected = f - targets.Select(model.Logits(occluded));
            Assert.True((scores.select(2, pos) - expected).abs().max().item<double>() < 1e-12, $"position {pos}");
        }
        Assert.Equal(0.0, scores[TensorIndex.Colon, 0, 11].abs().max().item<double>());
    }

    [Fact]
    public void WrongVocabularyOrStepIsAClearError()
    {
        using var model = Tiny.Model("mingru", float32);
        var tokens = tensor(new long[,] { { 1, 2, 9 } });
        var e = Assert.Throws<ArgumentException>(() => new Saliency().Attribute(model, tokens, AttributionTargets.Single(1, tensor(new long[] { 1 }))));
        Assert.Contains("[0, 5] (the model's vocabulary)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Occlusion().Attribute(model, tokens.clamp_max(5), AttributionTargets.Single(3, tensor(new long[] { 1 }))));
        Assert.Contains("output step 3 is outside the input length 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => AttributionMethods.Create("lime"));
        Assert.Contains("'lime' is not one of", e.Message);
    }
}
