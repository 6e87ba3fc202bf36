namespace MinRnn.Analysis.Statistics;

/// <summary>Small helpers shared by every statistic: the NaN policy, sorting and plain sums.</summary>
/// <remarks>
/// NaN policy of the whole library: a NaN anywhere in a sample propagates — the statistic (every numeric
/// field of a result) is NaN. Nothing is dropped silently, so a diverged run cannot vanish from a comparison;
/// drop such runs explicitly (e.g. <c>values.Where(double.IsFinite)</c>) when that is what is meant.
/// The one exception is <see cref="MultipleComparisons.HolmBonferroni"/>, which passes NaN p-values through.
/// </remarks>
internal static class Samples
{
    public static bool ContainsNaN(IReadOnlyList<double> values)
    {
        for (int i = 0; i < values.Count; i++)
            if (double.IsNaN(values[i])) return true;
        return false;
    }

    public static bool IsUnusable(IReadOnlyList<double> values) => values.Count == 0 || ContainsNaN(values);

    /// <summary>Left-to-right sum, so results are reproducible bit for bit.</summary>
    public static double Sum(IReadOnlyList<double> values)
    {
        double sum = 0;
        for (int i = 0; i < values.Count; i++) sum += values[i];
        return sum;
    }

    public static double[] Sorted(IReadOnlyList<double> values)
    {
        var copy = values.ToArray();
        Array.Sort(copy);
        return copy;
    }

    /// <summary>numpy.percentile(sorted, 100·q) with the default 'linear' interpolation (Hyndman–Fan type 7).</summary>
    public static double LinearQuantile(double[] sorted, double q)
    {
        if (sorted.Length == 0 || double.IsNaN(q)) return double.NaN;
        double position = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(position);
        if (below >= sorted.Length - 1) return sorted[^1];
        double fraction = position - below;
        return sorted[below] + (sorted[below + 1] - sorted[below]) * fraction;
    }
}
