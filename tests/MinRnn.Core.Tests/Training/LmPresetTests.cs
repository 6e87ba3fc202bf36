using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Tests.Training;

/// <summary>The `lm` preset is the block docs/LM.md describes, for each kind, and `char` stays as it was.</summary>
public class LmPresetTests
{
    [Theory]
    [InlineData("mingru", 4, 1.5)]
    [InlineData("minlstm", 4, 1.5)]
    [InlineData("gru", 4, 1.0)]
    [InlineData("lstm", 4, 1.0)]
    [InlineData("mamba", 0, 2.0)]
    [InlineData("transformer", 0, 1.0)]
    public void EveryKindGetsTheLanguageModelBlock(string cell, int conv, double expansion)
    {
        var config = Presets.Get("lm", cell, CharLm.TaskName);
        Assert.Equal((cell, 3, conv, expansion, 4.0), (config.Model.Cell, config.Model.Layers, config.Model.ConvKernel, config.Model.Expansion, config.Model.FeedForwardMult));
        Assert.Equal(400_000, config.Model.ParamsTarget);
        Assert.Equal(256, config.Task.SeqLen);
        Assert.Equal((LrSchedule.Cosine, 70, 1400), (config.Train.Schedule, config.Train.WarmupSteps, config.Train.Steps));
    }

    [Fact]
    public void TheWarmUpRisesLinearlyAndTheCosineEndsAtZero()
    {
        var train = Presets.Get("lm", "mingru", CharLm.TaskName).Train;
        Assert.Equal(train.Lr / train.WarmupSteps, train.LearningRate(1), 12);
        Assert.Equal(train.Lr, train.LearningRate(train.WarmupSteps), 12);
        Assert.Equal(train.Lr / 2, train.LearningRate(train.WarmupSteps + (train.Steps - train.WarmupSteps) / 2), 12);
        Assert.Equal(0, train.LearningRate(train.Steps), 12);
    }

    [Fact]
    public void OtherTasksHaveNoLmPreset() =>
        Assert.Contains("preset: lm is the char-lm setting", Assert.Throws<ArgumentException>(() => Presets.Get("lm", "mingru", "parity")).Message);

    [Fact]
    public void TheCharPresetIsUnchanged()
    {
        var config = Presets.Get("char", "gru", CharLm.TaskName);
        Assert.Equal(new ModelConfig("gru", Layers: 2, Vocab: config.Model.Vocab, Dim: 128, Expansion: 1.5), config.Model);
        Assert.Equal((128, 1000, 100), (config.Task.SeqLen, config.Train.Steps, config.Train.WarmupSteps));
    }
}
