namespace MinRnn.Analysis.Statistics;

/// <summary>Result of Welch's unequal-variance t-test of mean(a) − mean(b).</summary>
public sealed record WelchResult(double MeanDifference, double T, double DegreesOfFreedom, double PValue);

/// <summary>
/// Welch's t-test (Welch 1947), two-sided: t = (x̄_a − x̄_b) / √(s²_a/n_a + s²_b/n_b) with the Welch–Satterthwaite
/// ν = (s²_a/n_a + s²_b/n_b)² / ((s²_a/n_a)²/(n_a−1) + (s²_b/n_b)²/(n_b−1)), p = 2·P(T_ν ≤ −|t|)
/// (scipy.stats.ttest_ind(a, b, equal_var=False)).
/// </summary>
/// <remarks>
/// Degenerate input: n &lt; 2 in either sample, any NaN, or both variances zero (standard error 0) gives NaN for
/// t, ν and p. One zero variance is fine.
/// </remarks>
public static class WelchTTest
{
    /// <summary>Tests mean(a) = mean(b) without assuming equal variances.</summary>
    public static WelchResult Compute(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double difference = Descriptive.Mean(a) - Descriptive.Mean(b);
        if (a.Count < 2 || b.Count < 2 || double.IsNaN(difference))
            return new WelchResult(difference, double.NaN, double.NaN, double.NaN);

        double sa = Descriptive.StandardDeviation(a), sb = Descriptive.StandardDeviation(b);
        double va = sa * sa / a.Count, vb = sb * sb / b.Count; // squared standard errors
        if (va + vb == 0) return new WelchResult(difference, double.NaN, double.NaN, double.NaN);

        double t = difference / Math.Sqrt(va + vb);
        double freedom = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return new WelchResult(difference, t, freedom, Quantiles.StudentTTwoSidedP(t, freedom));
    }
}
