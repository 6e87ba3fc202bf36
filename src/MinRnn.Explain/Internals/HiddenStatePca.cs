using MinRnn.Explain.Decomposition;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Internals;

/// <summary>Hidden-state trajectories of one layer projected on their first two principal components:
/// Projection (B, T, 2); ExplainedVariance = the share of the total variance each component carries.</summary>
public sealed record PcaProjection(int Layer, Tensor Projection, double[] ExplainedVariance);

public static class HiddenStatePca
{
    /// <summary>PCA of every layer's cell outputs (all four cell kinds) over all rows and positions.</summary>
    public static List<PcaProjection> Compute(SequenceModel model, Tensor tokens)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (layers, _) = ModelTrace.Run(model, tokens.to(model.parameters().First().device));
        var result = layers.Select((layer, l) => Project(l, model.Blocks[l].Cell.call(layer.CellInput, null).Output)).ToList();
        foreach (var p in result) p.Projection.MoveToOuterDisposeScope();
        return result;
    }

    /// <summary>States (B, T, C): centre over all B·T rows, SVD X = U S Vᵀ, project on the first two columns of V;
    /// component k explains S_k² / Σ S².</summary>
    public static PcaProjection Project(int layer, Tensor states)
    {
        using var scope = NewDisposeScope();
        var (batch, length, width) = (states.shape[0], states.shape[1], states.shape[2]);
        var x = states.to_type(float64).reshape(batch * length, width).cpu();
        x = x - x.mean([0], keepdim: true);
        var (_, s, vh) = linalg.svd(x, fullMatrices: false);
        var k = Math.Min(2, (int)s.shape[0]);
        var total = s.square().sum().item<double>();
        var explained = Enumerable.Range(0, 2).Select(i => i < k && total > 0 ? s[i].square().item<double>() / total : 0).ToArray();
        var components = zeros(width, 2, dtype: float64);
        components.narrow(1, 0, k).copy_(vh.narrow(0, 0, k).t());
        var projection = x.matmul(components).reshape(batch, length, 2);
        return new PcaProjection(layer, projection.MoveToOuterDisposeScope(), explained);
    }
}
