using MinRnn.Cells;
using MinRnn.Explain.Decomposition;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Internals;

/// <summary>How long a layer keeps what it wrote: Retention[τ] = mean over rows, channels and start positions j of
/// Π_{k=j+1..j+τ} a_k (the factor by which the recurrence scales h_j after τ more steps; Retention[0] = 1).
/// Horizon = the first lag with Retention &lt; 1/e (null when it stays above up to the longest lag).</summary>
public sealed record MemoryCurve(int Layer, double[] Retention, int? Horizon);

public static class MemoryHorizon
{
    public static List<MemoryCurve> Compute(SequenceModel model, Tensor tokens)
    {
        if (!CellKinds.IsMin(model.Config.Cell))
            throw new ArgumentException($"memory horizon: needs minGRU or minLSTM cells, the model has '{model.Config.Cell}'");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (layers, _) = ModelTrace.Run(model, tokens.to(model.parameters().First().device));
        return layers.Select((layer, l) => Curve(l, ((IMinCell)model.Blocks[l].Cell).Gates(layer.CellInput).A)).ToList();
    }

    /// <summary>The curve of decay factors a (B, T, C).</summary>
    public static MemoryCurve Curve(int layer, Tensor a)
    {
        using var scope = NewDisposeScope();
        var s = a.to_type(float64).clamp_min(2.2250738585072014e-308).log().cumsum(1);   // S_t = Σ_{k≤t} log a_k
        var length = (int)s.shape[1];
        var retention = new double[length];
        for (var lag = 0; lag < length; lag++)                                          // Π_{k=j+1..j+τ} a_k = exp(S_{j+τ} − S_j)
            retention[lag] = (s.narrow(1, lag, length - lag) - s.narrow(1, 0, length - lag)).exp().mean().item<double>();
        var horizon = Array.FindIndex(retention, r => r < Math.Exp(-1));
        return new MemoryCurve(layer, retention, horizon < 0 ? null : horizon);
    }
}
