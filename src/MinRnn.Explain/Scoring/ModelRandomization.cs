using MinRnn.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Scoring;

/// <summary>The model-randomisation sanity check (Adebayo et al. 2018): an explanation that does not change when
/// the weights are re-drawn cannot be explaining what the model learned.</summary>
public static class ModelRandomization
{
    /// <summary>A freshly initialised model of the same configuration, dtype and device, in evaluation mode.</summary>
    public static SequenceModel Randomized(SequenceModel model, long seed)
    {
        var reference = model.parameters().First();
        random.manual_seed(seed);
        var fresh = new SequenceModel(model.Config);
        fresh.to(reference.dtype).to(reference.device);
        fresh.eval();
        return fresh;
    }

    /// <summary>Mean Spearman correlation of |attribution| between two explanations (N, L), each case compared over
    /// the positions its mask (N, L) selects. Pass the causal, informative positions: later positions are 0 in
    /// both explanations, and so is every token equal to an occlusion or IG baseline token, and such shared zeros
    /// would make any two explanations agree. Cases where either side is constant are skipped; NaN when all are.</summary>
    public static double MeanRankCorrelation(Tensor original, Tensor randomized, Tensor positions)
    {
        var (a, b) = (original.abs().to_type(float64).cpu(), randomized.abs().to_type(float64).cpu());
        var mask = positions.cpu();
        var correlations = new List<double>();
        for (var i = 0; i < a.shape[0]; i++)
        {
            var rho = RankCorrelation.Spearman(a[i].masked_select(mask[i]).data<double>().ToArray(), b[i].masked_select(mask[i]).data<double>().ToArray());
            if (!double.IsNaN(rho)) correlations.Add(rho);
        }
        return correlations.Count == 0 ? double.NaN : correlations.Average();
    }
}
