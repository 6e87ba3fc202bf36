using MinRnn.Cells;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Export;

/// <summary>Without a conv, the first block's cell input u = RMSNorm(embedding[token]) depends on the current token
/// only, and so does everything a cell computes from u alone: a min cell's a and b (its gates see only x_t), a GRU's or
/// LSTM's input projection W·u. For a vocabulary no larger than the model width (then the tables are no larger than
/// the weights they replace) the exporter tabulates these per token with the model's own modules and the graph gathers
/// rows: the same function, without the first block's norm, input MatMuls and, for min cells, gate ops. A numeric model's
/// steps are continuous, so there is nothing to tabulate: its first block is computed like every other.</summary>
internal static class FirstBlockTables
{
    public static bool Apply(ModelConfig config) => config.Features is null && config.ConvKernel == 0 && config.Vocab <= config.Dim;

    /// <summary>u_v = RMSNorm(embedding[v]) for every token v: (V, d).</summary>
    public static Tensor CellInputs(SequenceModel model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = model.parameters().First().device;
        var tokens = arange(model.Config.Vocab, dtype: int64, device: device).unsqueeze(0);       // (1, V)
        return model.Blocks[0].Trace(model.Embed(tokens), null).CellInput[0].cpu().MoveToOuterDisposeScope();
    }

    /// <summary>A min cell's recurrence coefficients per token, h = a ⊙ h + b: (V, inner) each.</summary>
    public static (Tensor A, Tensor B) MinCellCoefficients(SequenceModel model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var cell = (IMinCell)model.Blocks[0].Cell;
        var device = model.parameters().First().device;
        var gates = cell.Gates(CellInputs(model).to(device).unsqueeze(0));                          // (1, V, inner) each
        return (gates.A[0].cpu().MoveToOuterDisposeScope(), (gates.B * gates.Candidate)[0].cpu().MoveToOuterDisposeScope());
    }
}
