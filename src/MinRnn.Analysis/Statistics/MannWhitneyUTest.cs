namespace MinRnn.Analysis.Statistics;

/// <summary>How the Mann–Whitney p-value is computed.</summary>
public enum MannWhitneyMethod
{
    /// <summary>Exact when there are no ties and both samples have at most 20 values; asymptotic otherwise.</summary>
    Automatic,
    /// <summary>The exact null distribution of U (no ties only; with ties the p-value is NaN).</summary>
    Exact,
    /// <summary>Normal approximation with tie and continuity corrections.</summary>
    Asymptotic,
}

/// <summary>Two-sided Mann–Whitney U test. <see cref="U"/> is U₁, the statistic of the first sample.</summary>
public sealed record MannWhitneyResult(double U, double PValue, MannWhitneyMethod Method);

/// <summary>
/// Mann–Whitney U test (Mann &amp; Whitney 1947), two-sided, as scipy.stats.mannwhitneyu(a, b, use_continuity=True):
/// U₁ = R₁ − n₁(n₁+1)/2 from tie-averaged ranks of the pooled sample, U = max(U₁, n₁n₂ − U₁), p = min(1, 2·P(U' ≥ U)).
/// Exact: P counted over all C(n₁+n₂, n₁) rank subsets by dynamic programming. Asymptotic:
/// z = (U − n₁n₂/2 − ½) / √(n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1)))), p = 2·(1 − Φ(z)).
/// </summary>
/// <remarks>
/// <see cref="MannWhitneyMethod.Automatic"/> uses the exact distribution for n₁, n₂ ≤ 20 without ties (scipy's
/// 'auto' stops at 8). Degenerate input: an empty sample or any NaN gives NaN for U and p; when every value ties
/// the variance is 0 and p is NaN (scipy reports 1).
/// </remarks>
public static class MannWhitneyUTest
{
    /// <summary>Largest sample size for which <see cref="MannWhitneyMethod.Automatic"/> counts the exact distribution.</summary>
    public const int ExactLimit = 20;

    /// <summary>Tests whether a and b come from the same distribution against a shift either way.</summary>
    public static MannWhitneyResult Compute(IReadOnlyList<double> a, IReadOnlyList<double> b,
        MannWhitneyMethod method = MannWhitneyMethod.Automatic)
    {
        if (Samples.IsUnusable(a) || Samples.IsUnusable(b))
            return new MannWhitneyResult(double.NaN, double.NaN, method);

        int n1 = a.Count, n2 = b.Count;
        var pooled = a.Concat(b).ToArray();
        var ranks = Ranks.Average(pooled);
        double u1 = ranks.Take(n1).Sum() - n1 * (n1 + 1) / 2.0;
        double u = Math.Max(u1, (double)n1 * n2 - u1);
        double tieTerm = Ranks.TieTerm(pooled);

        if (method == MannWhitneyMethod.Automatic)
            method = tieTerm == 0 && n1 <= ExactLimit && n2 <= ExactLimit ? MannWhitneyMethod.Exact : MannWhitneyMethod.Asymptotic;

        double p = method == MannWhitneyMethod.Exact
            ? (tieTerm == 0 ? 2 * ExactUpperTail((int)u, n1, n2) : double.NaN)
            : 2 * AsymptoticUpperTail(u, n1, n2, tieTerm);
        return new MannWhitneyResult(u1, Math.Min(1.0, p), method);
    }

    /// <summary>P(U ≥ u) under H₀ without ties: the share of n₁-subsets of ranks 1 … n₁+n₂ whose U is at least u.</summary>
    internal static double ExactUpperTail(int u, int n1, int n2)
    {
        int maxU = n1 * n2;
        // counts[j, v]: number of j-subsets of the ranks seen so far with U-contribution v, where a subset's
        // U = Σ ranks − j(j+1)/2; adding rank r as the j-th smallest chosen member adds r − j.
        var counts = new double[n1 + 1, maxU + 1];
        counts[0, 0] = 1;
        for (int r = 1; r <= n1 + n2; r++)
            for (int j = Math.Min(r, n1); j >= 1; j--)
            {
                int step = r - j;
                if (step > n2) continue;
                for (int v = maxU; v >= step; v--) counts[j, v] += counts[j - 1, v - step];
            }

        double total = 0, tail = 0;
        for (int v = 0; v <= maxU; v++)
        {
            total += counts[n1, v];
            if (v >= u) tail += counts[n1, v];
        }
        return tail / total;
    }

    private static double AsymptoticUpperTail(double u, int n1, int n2, double tieTerm)
    {
        double n = n1 + n2;
        double sd = Math.Sqrt(n1 * (double)n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1))));
        if (!(sd > 0)) return double.NaN;
        double z = (u - n1 * (double)n2 / 2 - 0.5) / sd;
        return Quantiles.NormalCdf(-z);
    }
}
