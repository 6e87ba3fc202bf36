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
    /// its causal positions 0 … step only (later positions are 0 in both and would agree trivially). Cases where
    /// either relevance is constant are skipped; NaN when all are.</summary>
    public static double MeanRankCorrelation(Tensor original, Tensor randomized, int[] steps)
    {
        var (a, b) = (original.abs().to_type(float64).cpu(), randomized.abs().to_type(float64).cpu());
        var correlations = new List<double>();
        for (var i = 0; i < steps.Length; i++)
        {
            var n = steps[i] + 1;
            var rho = RankCorrelation.Spearman(a[i].narrow(0, 0, n).data<double>().ToArray(), b[i].narrow(0, 0, n).data<double>().ToArray());
            if (!double.IsNaN(rho)) correlations.Add(rho);
        }
        return correlations.Count == 0 ? double.NaN : correlations.Average();
    }
}
