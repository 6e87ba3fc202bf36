using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>What an attribution explains: for every row b and target s, the logit of class Classes[b, s] at output
/// position Steps[s]. Classes is (B, S) int64; attributions come back as (B, S, L), one score per input token.</summary>
public sealed record AttributionTargets(int[] Steps, Tensor Classes)
{
    /// <summary>One output step, one class per row (B).</summary>
    public static AttributionTargets Single(int step, Tensor classes) => new([step], classes.reshape(-1, 1));

    public int Count => Steps.Length;

    /// <summary>F = logits[b, Steps[s], Classes[b, s]] → (B, S), from logits (B, L, V).</summary>
    public Tensor Select(Tensor logits)
    {
        var steps = tensor(Steps.Select(s => (long)s).ToArray(), device: logits.device);
        var atSteps = logits.index_select(1, steps);                       // (B, S, V)
        return atSteps.gather(2, Classes.to(logits.device).unsqueeze(2)).squeeze(2);
    }
}
