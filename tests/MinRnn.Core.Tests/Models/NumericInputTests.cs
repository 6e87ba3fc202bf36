using MinRnn.Models;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Models;

/// <summary>The numeric input layer (ModelConfig.Features): x = W((s − mean) / std) + b against a float64 hand computation,
/// the standardisation carried through checkpoints and safetensors, the parameter count, and wrong inputs refused.</summary>
public class NumericInputTests
{
    private static readonly ModelConfig Config = new("mingru", Layers: 2, Vocab: 5, Dim: 6, ConvKernel: 2, Features: 3);
    private static readonly float[] Mean = [0.5f, -2f, 10f];
    private static readonly float[] Std = [2f, 0.25f, 4f];

    /// <summary>((s − m) / σ) Wᵀ + b in float64 from the model's own weights, one step at a time: (B, T, d).</summary>
    private static double[,,] ByHand(SequenceModel model, float[,,] steps)
    {
        var state = model.state_dict();
        var w = state["input_projection.weight"].to_type(float64).data<double>().ToArray();   // (d, F)
        var b = state["input_projection.bias"].to_type(float64).data<double>().ToArray();
        var (batch, time, f, d) = (steps.GetLength(0), steps.GetLength(1), steps.GetLength(2), b.Length);
        var x = new double[batch, time, d];
        for (var i = 0; i < batch; i++)
            for (var t = 0; t < time; t++)
                for (var o = 0; o < d; o++)
                {
                    var sum = b[o];
                    for (var k = 0; k < f; k++) sum += w[o * f + k] * ((steps[i, t, k] - (double)Mean[k]) / Std[k]);
                    x[i, t, o] = sum;
                }
        return x;
    }

    private static float[,,] Steps(int batch, int time, int seed)
    {
        var random = new Random(seed);
        var steps = new float[batch, time, 3];
        for (var i = 0; i < batch; i++)
            for (var t = 0; t < time; t++)
                for (var k = 0; k < 3; k++) steps[i, t, k] = (float)(Mean[k] + Std[k] * (2 * random.NextDouble() - 1) * 3);
        return steps;
    }

    [Fact]
    public void EmbedIsTheProjectionOfStandardisedStepsComputedByHand()
    {
        random.manual_seed(3);
        using var model = new SequenceModel(Config);
        model.SetStandardisation(Mean, Std);
        var steps = Steps(2, 5, seed: 1);
        using var x = model.Embed(tensor(steps));
        Assert.Equal(ScalarType.Float32, x.dtype);
        TestUtil.Close(x, tensor(ByHand(model, steps)), 1e-5);
    }

    [Fact]
    public void ForwardFeedsTheHandProjectionToTheBlocks()
    {
        random.manual_seed(4);
        using var model = new SequenceModel(Config);
        model.SetStandardisation(Mean, Std);
        model.to(float64);
        var steps = Steps(3, 7, seed: 2);
        var inputs = tensor(steps).to(float64);
        var expected = model.ForwardEmbeddings(tensor(ByHand(model, steps)), null).Logits;
        TestUtil.Close(model.Logits(inputs), expected, 1e-12);
        Assert.Equal(new long[] { 3, 7, 5 }, expected.shape);
    }

    [Fact]
    public void CheckpointAndSafeTensorsKeepTheStandardisationAndProjection()
    {
        random.manual_seed(5);
        using var trained = new SequenceModel(Config);
        trained.SetStandardisation(Mean, Std);
        using var tmp = new TempFolder();
        trained.save(tmp["model.bin"]);
        SafeTensors.SaveModel(trained, tmp["model.safetensors"]);
        var inputs = tensor(Steps(2, 4, seed: 3));
        foreach (var load in new Action<SequenceModel>[] { m => m.load(tmp["model.bin"], strict: true), m => SafeTensors.LoadInto(m, tmp["model.safetensors"]) })
        {
            random.manual_seed(6);
            using var fresh = new SequenceModel(Config);
            Assert.Equal(new float[] { 0, 0, 0 }, fresh.Standardisation!.Value.Mean);
            load(fresh);
            Assert.Equal(Mean, fresh.Standardisation!.Value.Mean);
            Assert.Equal(Std, fresh.Standardisation!.Value.Std);
            Assert.Equal(0.0, TestUtil.RelErr(fresh.state_dict()["input_projection.weight"], trained.state_dict()["input_projection.weight"]));
            Assert.Equal(0.0, TestUtil.RelErr(fresh.Logits(inputs), trained.Logits(inputs)));
        }
        var names = SafeTensors.Read(tmp["model.safetensors"]).Tensors.Keys.ToHashSet();
        Assert.Subset(names, new HashSet<string> { "input_projection.weight", "input_projection.bias", "input_mean", "input_std" });
        Assert.DoesNotContain("embedding.weight", names);
    }

    [Fact]
    public void ParameterCountHasTheProjectionAndNotTheBuffers()
    {
        using var numeric = new SequenceModel(Config);
        using var tokens = new SequenceModel(Config with { Features = null });
        var (v, d, f) = (Config.Vocab, Config.Dim, 3);
        Assert.Equal(tokens.ParameterCount - v * d + f * d + d, numeric.ParameterCount);
        var parameters = numeric.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("input_projection.weight", parameters);
        Assert.Contains("input_projection.bias", parameters);
        Assert.DoesNotContain("input_mean", parameters);
        Assert.Equal(["input_mean", "input_std"], numeric.named_buffers().Select(b => b.name).Order());
        Assert.Equal(numeric.ParameterCount + 2 * f, numeric.state_dict().Values.Sum(t => t.numel()));
        Assert.Equal(numeric.ParameterCount, ParameterMatch.Count(Config));
    }

    [Fact]
    public void InputsOfTheOtherFormAreRefused()
    {
        using var numeric = new SequenceModel(Config);
        using var tokens = new SequenceModel(Config with { Features = null });
        Assert.Contains("numeric steps (B, T, 3)", Assert.Throws<ArgumentException>(() => numeric.Embed(zeros([2, 4], int64))).Message);
        Assert.Contains("numeric steps (B, T, 3)", Assert.Throws<ArgumentException>(() => numeric.Embed(zeros([2, 4, 2]))).Message);
        Assert.Contains("token ids", Assert.Throws<ArgumentException>(() => tokens.Embed(zeros([2, 4, 3]))).Message);
        Assert.Throws<ArgumentException>(() => numeric.SetStandardisation(Mean, [1f, 0f, 1f]));
        Assert.Throws<ArgumentException>(() => numeric.SetStandardisation([0f], [1f]));
        Assert.Throws<InvalidOperationException>(() => tokens.SetStandardisation(Mean, Std));
        Assert.StartsWith("features:", Assert.Throws<ArgumentException>(() => (Config with { Features = 0 }).Validate()).Message);
    }

    [Fact]
    public void FeaturesAreWrittenOnlyWhenSet()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Config, RunConfig.Json);
        Assert.Contains("\"features\": 3", json);
        Assert.Equal(Config, System.Text.Json.JsonSerializer.Deserialize<ModelConfig>(json, RunConfig.Json));
        Assert.DoesNotContain("features", System.Text.Json.JsonSerializer.Serialize(Config with { Features = null }, RunConfig.Json));
    }
}
