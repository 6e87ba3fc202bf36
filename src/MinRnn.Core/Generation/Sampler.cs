using MinRnn.Tasks;

namespace MinRnn.Generation;

/// <summary>How the next token is chosen from logits: temperature τ (0 = greedy, the first largest logit), optionally
/// only among the k largest logits, with a seeded generator.</summary>
public sealed record SamplingOptions(double Temperature = 1.0, int? TopK = null, long Seed = 0)
{
    public void Validate()
    {
        if (!(Temperature >= 0) || double.IsInfinity(Temperature)) throw new ArgumentException($"temperature: must be ≥ 0 (got {Temperature})");
        if (TopK < 1) throw new ArgumentException($"top-k: must be ≥ 1 (got {TopK})");
    }
}

/// <summary>Draws token ids from logits in float64 with its own SplitMix64 stream, so every back end (TorchSharp,
/// ONNX Runtime) turns the same logits and seed into the same tokens: p_i ∝ exp((z_i − max z) / τ) over the kept ids,
/// then the first id whose cumulative probability exceeds a uniform u ∈ [0, 1).</summary>
public sealed class Sampler
{
    private readonly SamplingOptions options;
    private readonly TaskRandom random;

    public Sampler(SamplingOptions options)
    {
        options.Validate();
        this.options = options;
        random = new TaskRandom(options.Seed);
    }

    public int Next(float[] logits)
    {
        if (options.Temperature == 0) return ArgMax(logits);
        var kept = Kept(logits);
        var max = kept.Max(i => (double)logits[i]);
        var weights = kept.Select(i => Math.Exp(((double)logits[i] - max) / options.Temperature)).ToArray();
        var u = (random.NextULong() >> 11) * (1.0 / (1UL << 53)) * weights.Sum();
        var cumulative = 0.0;
        for (var j = 0; j < kept.Length; j++)
            if ((cumulative += weights[j]) > u) return kept[j];
        return kept[^1];
    }

    /// <summary>The ids sampled from, in id order: all, or the k largest logits (ties: the smaller id).</summary>
    private int[] Kept(float[] logits)
    {
        var ids = Enumerable.Range(0, logits.Length).ToArray();
        if (options.TopK is not { } k || k >= logits.Length) return ids;
        return [.. ids.OrderByDescending(i => logits[i]).ThenBy(i => i).Take(k).Order()];
    }

    private static int ArgMax(float[] logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }
}
