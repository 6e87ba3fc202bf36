using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests;

/// <summary>Tiny models with every parameter perturbed (so γ ≠ 1, biases ≠ 0 and gates spread over (0, 1)).</summary>
public static class TestModels
{
    /// <summary>Defaults: 1 layer, d = 8. Options: 2 layers, d = 12, expansion 1.5, conv 3, feed-forward 2, minLSTM
    /// without gate normalisation and with forget bias 3, the transformer with 3 heads (of width 6; 4 do not split 18).</summary>
    public static ModelConfig Config(string cell, bool options) => options
        ? new ModelConfig(cell, Layers: 2, Vocab: 7, Dim: 12, Expansion: 1.5, ConvKernel: 3, FeedForwardMult: 2, NormalizeGates: false, ForgetBias: 3,
            Heads: CellKinds.Get(cell).Options.HasFlag(CellOption.Heads) ? 3 : null)
        : new ModelConfig(cell, Layers: 1, Vocab: 6, Dim: 8);

    /// <summary>2 layers, vocabulary 12 wider than d = 8: the exporter cannot tabulate the first block (FirstBlockTables),
    /// so every block's norm, projections and gates are graph ops.</summary>
    public static ModelConfig WideVocab(string cell) => new(cell, Layers: 2, Vocab: 12, Dim: 8);

    /// <summary>A numeric model (F = 3 features a step) on Config(cell, options): vocabulary 6 ≤ d and, in the defaults, no
    /// conv, so a token model of the same shape would tabulate its first block.</summary>
    public static ModelConfig Numeric(string cell, bool options) => Config(cell, options) with { Features = 3 };

    /// <summary>The model with its parameters perturbed; a numeric model also gets a standardisation far from (0, 1) (means
    /// −2, 5, 40, deviations 0.5, 3, 20), so a graph that skipped or misordered it would give other logits.</summary>
    public static SequenceModel Build(ModelConfig config, long seed = 1)
    {
        random.manual_seed(seed);
        var model = new SequenceModel(config);
        using (no_grad())
            foreach (var p in model.parameters())
                p.add_(randn_like(p) * 0.3);
        if (config.Features is { } f)
            model.SetStandardisation([.. Enumerable.Range(0, f).Select(i => new[] { -2f, 5f, 40f }[i % 3])],
                [.. Enumerable.Range(0, f).Select(i => new[] { 0.5f, 3f, 20f }[i % 3])]);
        model.eval();
        return model;
    }

    public static SelectiveCopying Task(ModelConfig config) => new(SeqLen: 16, Tokens: 2, Vocab: config.Vocab);
}
