using MinRnn.Cells;
using MinRnn.Models;

namespace MinRnn.Tests.Models;

/// <summary>`--params N`: for every kind, in the quick block and in the language-model block (conv before the recurrent
/// cells, feed-forward after every mixer, Mamba at expansion 2), the chosen width gives a real TorchSharp model within
/// ±5% of N, and no neighbouring width is nearer.</summary>
public class ParameterMatchTests
{
    public static TheoryData<string, long, bool> Cases()
    {
        var data = new TheoryData<string, long, bool>();
        foreach (var kind in CellKinds.Names)
            foreach (var target in new long[] { 100_000, 500_000 })
                foreach (var lmBlock in new[] { false, true })
                    data.Add(kind, target, lmBlock);
        return data;
    }

    /// <summary>The block under test, before the width is chosen (vocabulary of a small English text).</summary>
    private static ModelConfig Block(string kind, bool lmBlock) => !lmBlock
        ? new ModelConfig(kind, Layers: 2, Vocab: 65)
        : new ModelConfig(kind, Layers: 3, Vocab: 65, Expansion: kind switch { "mamba" => 2.0, "mingru" or "minlstm" => 1.5, _ => 1.0 },
            ConvKernel: kind is "mamba" or "transformer" ? 0 : 4, FeedForwardMult: 4);

    /// <summary>The real model's parameters, counted from its named parameters (and equal to its state dict: no buffers).</summary>
    private static long RealCount(ModelConfig config)
    {
        using var model = new SequenceModel(config);
        var count = model.named_parameters().Sum(p => p.parameter.numel());
        Assert.Equal(count, model.state_dict().Values.Sum(t => t.numel()));
        return count;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryKindIsWithinFivePercentAndTheNearestWidth(string kind, long target, bool lmBlock)
    {
        var start = Block(kind, lmBlock);
        var (config, count) = ParameterMatch.Match(start, target);
        config.Validate();
        Assert.Equal(RealCount(config), count);
        Assert.InRange(count, target * 0.95, target * 1.05);
        Assert.Equal((start.Layers, start.ConvKernel, start.FeedForwardMult, start.Heads), (config.Layers, config.ConvKernel, config.FeedForwardMult, config.Heads));
        foreach (var neighbour in new[] { config.Dim - 1, config.Dim + 1 })
            Assert.True(Math.Abs(RealCount(ParameterMatch.AtWidth(start, neighbour)) - target) >= Math.Abs(count - target),
                $"{kind}: width {neighbour} is nearer to {target} than the chosen {config.Dim}");
    }

    [Theory]
    [InlineData(52)]
    [InlineData(53)]
    [InlineData(54)]
    public void TheTransformerKeepsHeadsOfEvenWidthAtAnyModelWidth(int dim)
    {
        var config = ParameterMatch.AtWidth(new ModelConfig("transformer", Vocab: 65), dim);
        config.Validate();
        Assert.Equal(dim, config.Dim);
        Assert.Equal(0, config.CellOptions.Inner % (2 * CellOptions.DefaultHeads));
        Assert.InRange(config.CellOptions.Inner, dim - CellOptions.DefaultHeads, dim + CellOptions.DefaultHeads);
    }

    [Fact]
    public void OtherKindsKeepTheirExpansion()
    {
        var config = ParameterMatch.AtWidth(new ModelConfig("mamba", Vocab: 65, Expansion: 2.0), 37);
        Assert.Equal((37, 2.0, 74L), (config.Dim, config.Expansion, config.CellOptions.Inner));
    }

    [Theory]
    [InlineData("mingru", 100L, "too small for mingru")]
    [InlineData("transformer", 0L, "must be between 1")]
    public void UnreachableTargetsAreNamed(string kind, long target, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ParameterMatch.Match(new ModelConfig(kind, Vocab: 65), target));
        Assert.StartsWith("params:", e.Message);
        Assert.Contains(message, e.Message);
    }
}
