using MinRnn.Explain.Attribution;
using MinRnn.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Attribution;

/// <summary>Steps × features attributions of a numeric model, in float64: gradient × input on the standardised features
/// against central finite differences, occlusion against the occluded row run alone, and exact zeros after each row's
/// target step.</summary>
public class StepFeatureAttributionTests
{
    private static readonly float[] Mean = [1.5f, -20f, 0f];
    private static readonly float[] Std = [0.5f, 10f, 1f];

    private static SequenceModel Model(string cell)
    {
        random.manual_seed(7);
        var model = new SequenceModel(new ModelConfig(cell, Layers: 2, Vocab: 4, Dim: 8, Features: 3));
        model.SetStandardisation(Mean, Std);
        model.to(float64);
        model.eval();
        return model;
    }

    /// <summary>Two rows of 5 steps (raw units around the mean); row 1 ends at step 2, padded with zeros after.</summary>
    private static Tensor Steps()
    {
        random.manual_seed(8);
        var s = randn([2, 5, 3], dtype: float64) * tensor(Std).to(float64) + tensor(Mean).to(float64);
        s[1].narrow(0, 3, 2).zero_();
        return s;
    }

    private static readonly long[] TargetSteps = [4, 2];
    private static readonly long[] Classes = [1, 3];

    private static double F(SequenceModel model, Tensor s, int row)
    {
        using var _ = no_grad();
        return model.Logits(s[row].unsqueeze(0))[0, TargetSteps[row], Classes[row]].item<double>();
    }

    [Theory]
    [InlineData("mingru")]
    [InlineData("lstm")]
    [InlineData("mamba")]
    [InlineData("transformer")]
    public void GradientTimesInputIsTheStandardisedInputTimesItsFiniteDifferenceGradient(string cell)
    {
        using var model = Model(cell);
        var s = Steps();
        var a = StepFeatureAttribution.GradientTimesInput(model, s, TargetSteps, Classes);
        Assert.Equal(new long[] { 2, 5, 3 }, a.shape);
        const double h = 1e-6;
        foreach (var (row, t, k) in new[] { (0, 0, 0), (0, 3, 1), (0, 4, 2), (1, 1, 1), (1, 2, 0) })
        {
            // z = (s − mean) / std, so a step of h in z is a step of h · std in s
            var (plus, minus) = (s.clone(), s.clone());
            plus[row, t, k] += h * Std[k];
            minus[row, t, k] -= h * Std[k];
            var dz = (F(model, plus, row) - F(model, minus, row)) / (2 * h);
            var z = (s[row, t, k].item<double>() - Mean[k]) / Std[k];
            Assert.Equal(z * dz, a[row, t, k].item<double>(), 1e-6);
        }
        Assert.Equal(0.0, a[1].narrow(0, 3, 2).abs().max().item<double>());               // after row 1's target step
    }

    [Theory]
    [InlineData("minlstm")]
    [InlineData("gru")]
    public void OcclusionIsTheDropWhenAStepBecomesTheTrainingMean(string cell)
    {
        using var model = Model(cell);
        var s = Steps();
        var o = StepFeatureAttribution.Occlusion(model, s, TargetSteps, Classes);
        Assert.Equal(new long[] { 2, 5 }, o.shape);
        for (var row = 0; row < 2; row++)
            for (var t = 0; t <= TargetSteps[row]; t++)
            {
                var occluded = s.clone();
                for (var k = 0; k < 3; k++) occluded[row, t, k] = Mean[k];
                Assert.Equal(F(model, s, row) - F(model, occluded, row), o[row, t].item<double>(), 1e-10);
            }
        Assert.Equal(0.0, o[1].narrow(0, 3, 2).abs().max().item<double>());
    }

    [Fact]
    public void TokenModelsAndMisfitBatchesAreRefused()
    {
        using var model = Model("mingru");
        using var tokens = new SequenceModel(new ModelConfig("mingru", Layers: 1, Vocab: 4, Dim: 8));
        Assert.Throws<ArgumentException>(() => StepFeatureAttribution.GradientTimesInput(tokens, zeros([1, 2, 3]), [1], [0]));
        Assert.Throws<ArgumentException>(() => StepFeatureAttribution.Occlusion(model, zeros([1, 2, 4], float64), [1], [0]));
        Assert.Throws<ArgumentException>(() => StepFeatureAttribution.Occlusion(model, zeros([1, 2, 3], float64), [2], [0]));
        Assert.Throws<ArgumentException>(() => StepFeatureAttribution.Occlusion(model, zeros([1, 2, 3], float64), [1], [4]));
    }
}
