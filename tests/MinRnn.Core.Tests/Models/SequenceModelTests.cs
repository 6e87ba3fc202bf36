using System.Text.Json;
using MinRnn.Models;
using MinRnn.Scans;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Models;

public class SequenceModelTests
{
    [Theory]
    [MemberData(nameof(CellCases.All), MemberType = typeof(CellCases))]
    public void ChunkedEvaluationWithConvAndFeedForwardEqualsFullPass(string cell)
    {
        random.manual_seed(1);
        using var model = new SequenceModel(new ModelConfig(cell, Layers: 2, Vocab: 7, Dim: 8, Expansion: 2, ConvKernel: 3, FeedForwardMult: 2));
        model.to(float64);
        var tokens = randint(0, 7, [2, 13]);
        var (full, fullState) = model.call(tokens, null);
        Assert.Equal(new long[] { 2, 13, 7 }, full.shape);
        var (a, sa) = model.call(tokens.narrow(1, 0, 1), null);
        var (b, sb) = model.call(tokens.narrow(1, 1, 5), sa);
        var (c, sc) = model.call(tokens.narrow(1, 6, 7), sb);
        TestUtil.Close(cat([a, b, c], 1), full, 1e-10, cell);
        for (var l = 0; l < 2; l++)
            TestUtil.Close(sc[l].Cell.H, fullState[l].Cell.H, 1e-10, $"{cell} layer {l} state");
    }

    [Fact]
    public void ScanModesGiveTheSameModel()
    {
        random.manual_seed(2);
        using var log = new SequenceModel(new ModelConfig("minlstm", Layers: 3, Dim: 8, Scan: ScanMode.Log));
        using var seq = new SequenceModel(new ModelConfig("minlstm", Layers: 3, Dim: 8, Scan: ScanMode.Sequential));
        log.to(float64); seq.to(float64);
        TestUtil.CopyWeights(log, seq);
        var tokens = randint(0, 16, [3, 20]);
        TestUtil.Close(log.Logits(tokens), seq.Logits(tokens), 1e-10);
    }

    [Fact]
    public void ParameterNamesFollowTheFieldNames()
    {
        using var model = new SequenceModel(new ModelConfig("mingru", Layers: 1, Dim: 4, Expansion: 2));
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("embedding.weight", names);
        Assert.Contains("blocks.0.cell.to_hidden_and_gate.weight", names);
        Assert.Contains("blocks.0.cell.to_out.weight", names);
        Assert.Contains("head.weight", names);
        // 16·4 embedding + (4 norm + 4·16 gates + 8·4 out) + 4 norm + 4·16 head
        Assert.Equal(64 + 4 + 64 + 32 + 4 + 64, model.ParameterCount);
    }

    [Fact]
    public void ConfigRoundTripsThroughJson()
    {
        var config = Presets.Get("paper", "minlstm") with { Model = Presets.Get("paper", "minlstm").Model with { Scan = ScanMode.Sequential, ConvKernel = 4 } };
        var json = config.ToJson();
        Assert.Contains("\"scan\": \"Sequential\"", json);
        Assert.Equal(config, RunConfig.FromJson(json, "test"));
        Assert.Throws<MinRnn.Runtime.BadFileException>(() => RunConfig.FromJson(json.Replace("\"minlstm\"", "\"rwkv\""), "test"));
        Assert.Throws<MinRnn.Runtime.BadFileException>(() => RunConfig.FromJson("{ not json", "test"));
    }
}
