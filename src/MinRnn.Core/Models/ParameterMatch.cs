using MinRnn.Cells;

namespace MinRnn.Models;

/// <summary>Equal-parameter comparisons (`--params N`, docs/LM.md "Equal parameters"): the model width d is chosen so that
/// the model's parameter count is nearest to N, everything else of the block fixed (layers, each kind's expansion, conv,
/// feed-forward multiple, state size, heads). d is the knob for every kind because it is the one width all six share;
/// the mixers' inner widths follow it through their expansion. The transformer's attention width d · e must split into
/// heads of even width (rotary positions), so it is rounded to a multiple of 2 · heads and d itself still moves in
/// steps of 1 — with d a multiple of 8 (4 heads) no width would come within 5% of N = 100 k.</summary>
public static class ParameterMatch
{
    /// <summary>How far the count may be from N, relative to N.</summary>
    public const double Tolerance = 0.05;

    /// <summary>The largest N accepted: the search builds models of up to about 1.5 N parameters.</summary>
    public const long MaxTarget = 100_000_000;

    /// <summary>The parameters of the real model `config` describes (TorchSharp's own count).</summary>
    public static long Count(ModelConfig config)
    {
        using var model = new SequenceModel(config);
        return model.ParameterCount;
    }

    /// <summary>`config` at width d, its expansion kept (for kinds with heads: the inner width rounded to a multiple of
    /// HeadWidth · heads, at least one such multiple).</summary>
    public static ModelConfig AtWidth(ModelConfig config, int dim)
    {
        var kind = CellKinds.Get(config.Cell);
        if (!kind.Options.HasFlag(CellOption.Heads)) return config with { Dim = dim };
        var step = kind.HeadWidth * (config.Heads ?? CellOptions.DefaultHeads);
        var inner = Math.Max(step, (long)Math.Round(dim * config.Expansion / step) * step);
        return config with { Dim = dim, Expansion = (double)inner / dim };
    }

    /// <summary>The width whose count is nearest to `target` (the count grows with d: a doubling search, then bisection),
    /// with that count; config.Expansion is the kind's expansion at its own width. ArgumentException naming `params`
    /// when even the smallest width has more than target · (1 + Tolerance) parameters or no width comes within Tolerance.</summary>
    public static (ModelConfig Config, long Count) Match(ModelConfig config, long target)
    {
        if (target < 1 || target > MaxTarget) throw new ArgumentException($"params: must be between 1 and {MaxTarget} (got {target})");
        var smallest = Count(AtWidth(config, 1));
        if (smallest > target * (1 + Tolerance))
            throw new ArgumentException($"params: {target} is too small for {config.Cell}: at width 1 the input layer, head and blocks alone have {smallest}");
        if (smallest >= target) return (AtWidth(config, 1), smallest);
        var (low, high) = (1, 2);                                   // Count(low) < target ≤ Count(high) once the loop ends
        while (Count(AtWidth(config, high)) < target) (low, high) = (high, high * 3 / 2 + 1);
        while (high - low > 1)
        {
            var mid = (low + high) / 2;
            if (Count(AtWidth(config, mid)) < target) low = mid; else high = mid;
        }
        var (below, above) = (Count(AtWidth(config, low)), Count(AtWidth(config, high)));
        var (dim, count) = target - below <= above - target ? (low, below) : (high, above);
        if (Math.Abs(count - target) > Tolerance * target)
            throw new ArgumentException($"params: no width of {config.Cell} comes within {Tolerance:P0} of {target} (nearest: d = {dim} with {count})");
        return (AtWidth(config, dim), count);
    }
}
