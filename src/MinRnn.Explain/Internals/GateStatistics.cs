using MinRnn.Cells;
using MinRnn.Explain.Decomposition;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Internals;

/// <summary>Mean gates of one layer at the positions holding one type of token: B is the write gate (z or i'),
/// A the keep gate (1 − z or f'), averaged over positions and channels. Count = positions.</summary>
public sealed record GateStatistic(int Layer, TokenType Type, double MeanWrite, double MeanKeep, double SdWrite, long Count);

/// <summary>Does the write gate open on data tokens and close on noise? Gate statistics of every min-cell layer by
/// the type of the input token at each position.</summary>
public static class GateStatistics
{
    public static List<GateStatistic> Compute(SequenceModel model, Tensor tokens)
    {
        if (!CellKinds.IsMin(model.Config.Cell))
            throw new ArgumentException($"gate statistics: need minGRU or minLSTM cells, the model has '{model.Config.Cell}'");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = model.parameters().First().device;
        tokens = tokens.to(device);
        var (layers, _) = ModelTrace.Run(model, tokens);
        var rows = new List<GateStatistic>();
        for (var l = 0; l < layers.Length; l++)
        {
            var gates = ((IMinCell)model.Blocks[l].Cell).Gates(layers[l].CellInput);
            var (write, keep) = (gates.B.to_type(float64).mean([-1]), gates.A.to_type(float64).mean([-1]));   // (B, L)
            foreach (var type in TokenTypes.All)
            {
                var mask = TokenTypes.Mask(tokens, model.Config.Vocab, type);
                var count = mask.sum().item<long>();
                if (count == 0) { rows.Add(new GateStatistic(l, type, double.NaN, double.NaN, double.NaN, 0)); continue; }
                var w = write.masked_select(mask);
                rows.Add(new GateStatistic(l, type, w.mean().item<double>(), keep.masked_select(mask).mean().item<double>(),
                    count > 1 ? w.std().item<double>() : 0, count));
            }
        }
        return rows;
    }
}
