using MinRnn.Models;
using MinRnn.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Models;

/// <summary>Mamba and the transformer inside the shared blocks: their options are checked, and a few training steps on
/// a tiny selective-copy batch lower the loss.</summary>
public class NewKindsTests
{
    [Theory]
    [InlineData("mingru", 16, null, "state_size: applies to {state_size} only, not mingru")]
    [InlineData("gru", null, 4, "heads: applies to {heads} only, not gru")]
    [InlineData("mamba", 0, null, "state_size: must be ≥ 1")]
    [InlineData("transformer", null, 5, "heads: must divide the inner width 64")]
    [InlineData("transformer", null, 64, "heads of even width")]
    public void OptionsOfAnotherKindOrOutOfRangeAreNamed(string cell, int? stateSize, int? heads, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new ModelConfig(cell, StateSize: stateSize, Heads: heads).Validate());
        Assert.Contains(CellCases.WithKinds(message), e.Message);
    }

    [Fact]
    public void OptionsOfOtherKindsStayOutOfTheConfigJson()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new ModelConfig("mingru"), MinRnn.Training.RunConfig.Json);
        Assert.DoesNotContain("state_size", json);
        Assert.DoesNotContain("heads", json);
        var mamba = System.Text.Json.JsonSerializer.Serialize(new ModelConfig("mamba", StateSize: 8), MinRnn.Training.RunConfig.Json);
        Assert.Equal(8, System.Text.Json.JsonSerializer.Deserialize<ModelConfig>(mamba, MinRnn.Training.RunConfig.Json)!.StateSize);
    }

    [Theory]
    [InlineData("mamba")]
    [InlineData("transformer")]
    public void AFewStepsOnSelectiveCopyingLowerTheLoss(string cell)
    {
        random.manual_seed(1);
        var task = new SelectiveCopying(SeqLen: 16, Tokens: 3, Vocab: 6);
        using var model = new SequenceModel(new ModelConfig(cell, Layers: 1, Vocab: task.Vocabulary.Size, Dim: 16, Expansion: 2));
        var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        using var batch = task.Sample(16, 3, TaskSplit.Train);
        double Loss()
        {
            var logits = model.Logits(batch.Inputs);
            return nn.functional.cross_entropy(logits.flatten(0, 1), batch.Targets.flatten(), ignore_index: -100).item<float>();
        }
        var before = Loss();
        for (var step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.Logits(batch.Inputs);
            nn.functional.cross_entropy(logits.flatten(0, 1), batch.Targets.flatten(), ignore_index: -100).backward();
            optimizer.step();
        }
        Assert.True(Loss() < before * 0.8, $"{cell}: loss {before:F3} → {Loss():F3}");
    }
}
