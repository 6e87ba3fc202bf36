namespace MinRnn.Analysis.Statistics;

/// <summary>Hedges' g of a − b with Cohen's d, the small-sample factor J and an approximate confidence interval.</summary>
public sealed record HedgesGResult(double G, double CohensD, double Correction, double Variance, double Lower, double Upper);

/// <summary>
/// Standardised and rank-based effect sizes of sample a against sample b (positive: a larger).
/// Degenerate input: empty samples or any NaN give NaN; Hedges' g also needs n_a + n_b ≥ 3 and a nonzero pooled sd.
/// Cliff's δ and the probability of improvement are defined for any nonempty samples, including all ties (δ = 0).
/// </summary>
public static class EffectSize
{
    private static readonly HedgesGResult Undefined = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// Hedges' g = J·d (Borenstein et al. 2009, <i>Introduction to Meta-Analysis</i>, ch. 4):
    /// d = (x̄_a − x̄_b)/s_pooled, s²_pooled = ((n_a−1)s²_a + (n_b−1)s²_b)/(n_a+n_b−2), J = 1 − 3/(4(n_a+n_b) − 9),
    /// V_d = (n_a+n_b)/(n_a n_b) + d²/(2(n_a+n_b)), V_g = J² V_d, interval g ± Φ⁻¹((1+c)/2)·√V_g (normal approximation).
    /// </summary>
    public static HedgesGResult HedgesG(IReadOnlyList<double> a, IReadOnlyList<double> b, double confidence = 0.95)
    {
        if (Samples.IsUnusable(a) || Samples.IsUnusable(b)) return Undefined;
        // A single run has no spread of its own (its n − 1 = 0 weight in s_pooled), so its sd enters as 0.
        double sa = a.Count > 1 ? Descriptive.StandardDeviation(a) : 0, sb = b.Count > 1 ? Descriptive.StandardDeviation(b) : 0;
        return HedgesGFromSummary(Descriptive.Mean(a), sa, a.Count, Descriptive.Mean(b), sb, b.Count, confidence);
    }

    /// <summary>Hedges' g from reported means, sample sds and sizes, e.g. a paper's "mean ± sd over n seeds".</summary>
    public static HedgesGResult HedgesGFromSummary(double meanA, double sdA, int countA, double meanB, double sdB, int countB,
        double confidence = 0.95)
    {
        double n = countA + countB;
        double pooled = Math.Sqrt(((countA - 1) * sdA * sdA + (countB - 1) * sdB * sdB) / (n - 2));
        if (countA < 1 || countB < 1 || n < 3 || !(pooled > 0)) return Undefined;

        double d = (meanA - meanB) / pooled;
        double correction = 1 - 3 / (4 * n - 9);
        double g = correction * d;
        double variance = correction * correction * (n / ((double)countA * countB) + d * d / (2 * n));
        double halfWidth = Quantiles.Normal((1 + confidence) / 2) * Math.Sqrt(variance);
        return new HedgesGResult(g, d, correction, variance, g - halfWidth, g + halfWidth);
    }

    /// <summary>Cliff's δ = P(a &gt; b) − P(a &lt; b) over all n_a·n_b pairs (Cliff 1993), in [−1, 1].</summary>
    public static double CliffsDelta(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var (greater, less) = CountPairs(a, b);
        return (greater - less) / ((double)a.Count * b.Count);
    }

    /// <summary>
    /// Probability of improvement P(a &gt; b) + ½·P(a = b) over all pairs (rliable's P(X &gt; Y); equals U₁/(n_a n_b)
    /// of the Mann–Whitney test and (δ + 1)/2).
    /// </summary>
    public static double ProbabilityOfImprovement(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var (greater, less) = CountPairs(a, b);
        double pairs = (double)a.Count * b.Count;
        return (greater + 0.5 * (pairs - greater - less)) / pairs;
    }

    private static (double Greater, double Less) CountPairs(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (Samples.IsUnusable(a) || Samples.IsUnusable(b)) return (double.NaN, double.NaN);
        double greater = 0, less = 0;
        for (int i = 0; i < a.Count; i++)
            for (int j = 0; j < b.Count; j++)
            {
                if (a[i] > b[j]) greater++;
                else if (a[i] < b[j]) less++;
            }
        return (greater, less);
    }
}
