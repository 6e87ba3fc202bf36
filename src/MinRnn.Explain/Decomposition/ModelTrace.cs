using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Decomposition;

/// <summary>One block of a traced forward pass, each (B, T, d): the residual stream entering the block, what the
/// cell saw (RMSNorm of it) and the stream leaving the block.</summary>
public sealed record LayerTrace(Tensor Input, Tensor CellInput, Tensor Output);

/// <summary>The model's forward pass from the zero state, layer by layer (Embed → Block.Trace → Readout).</summary>
public static class ModelTrace
{
    public static (LayerTrace[] Layers, Tensor Logits) Run(SequenceModel model, Tensor tokens)
    {
        var x = model.Embed(tokens);
        var layers = new LayerTrace[model.Blocks.Count];
        for (var l = 0; l < layers.Length; l++)
        {
            var (y, _, u) = model.Blocks[l].Trace(x, null);
            layers[l] = new LayerTrace(x, u, y);
            x = y;
        }
        return (layers, model.Readout(x));
    }
}
