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

    public static SequenceModel Build(ModelConfig config, long seed = 1)
    {
        random.manual_seed(seed);
        var model = new SequenceModel(config);
        using (no_grad())
            foreach (var p in model.parameters())
                p.add_(randn_like(p) * 0.3);
        model.eval();
        return model;
    }

    public static SelectiveCopying Task(ModelConfig config) => new(SeqLen: 16, Tokens: 2, Vocab: config.Vocab);
}
