using MathNet.Numerics;
using MathNet.Numerics.RootFinding;

namespace MinRnn.Analysis.Statistics;

/// <summary>
/// Power of the two-sided two-sample Student t-test with n runs per group, and the smallest standardised effect
/// (Cohen's d) it detects. Computed exactly with the noncentral t distribution (Cohen 1988, ch. 2): under an effect
/// d the statistic is noncentral t with ν = 2n − 2 and noncentrality δ = d √(n/2), and
/// power = P(T' &gt; t_{1−α/2, ν}) + P(T' &lt; −t_{1−α/2, ν}) (statsmodels TTestIndPower; scipy.stats.nct).
/// </summary>
/// <remarks>
/// The noncentral t probabilities are one integral over the chi variable S = √(χ²_ν/ν):
/// P(T' ≤ t) = ∫₀^∞ Φ(t s − δ) g_ν(s) ds, evaluated by adaptive Gauss–Kronrod quadrature to 1e−12 relative.
/// Degenerate input: n &lt; 2 gives NaN.
/// </remarks>
public static class PowerAnalysis
{
    /// <summary>Probability that the two-sided t-test at level α rejects when the true effect is d.</summary>
    public static double Power(double effect, int perGroup, double alpha = 0.05)
    {
        if (perGroup < 2 || double.IsNaN(effect)) return double.NaN;
        double freedom = 2.0 * perGroup - 2;
        double critical = Quantiles.StudentT(1 - alpha / 2, freedom);
        double noncentrality = effect * Math.Sqrt(perGroup / 2.0);
        // P(T' > c) + P(T' < −c) = E[Φ(δ − c S) + Φ(−c S − δ)]: both tails without cancellation.
        return ChiExpectation(s => Quantiles.NormalCdf(noncentrality - critical * s)
                                   + Quantiles.NormalCdf(-critical * s - noncentrality), freedom);
    }

    /// <summary>
    /// The smallest d &gt; 0 that the two-sided two-sample t-test with n runs per group detects with the given power
    /// at level α (default: α = 0.05, 80 % power).
    /// </summary>
    public static double MinimumDetectableEffect(int perGroup, double alpha = 0.05, double power = 0.80)
    {
        if (perGroup < 2) return double.NaN;
        // Normal approximation d ≈ (z_{1−α/2} + z_power) √(2/n) sizes the bracket; the t-test needs a larger d.
        double guess = (Quantiles.Normal(1 - alpha / 2) + Quantiles.Normal(power)) * Math.Sqrt(2.0 / perGroup);
        double upper = 2 * guess;
        while (Power(upper, perGroup, alpha) < power) upper *= 2;
        return Brent.FindRoot(d => Power(d, perGroup, alpha) - power, 0, upper, accuracy: 1e-12, maxIterations: 200);
    }

    /// <summary>E[f(S)] for S = √(χ²_ν/ν), whose density is g_ν(s) = 2 (ν/2)^{ν/2} s^{ν−1} e^{−ν s²/2} / Γ(ν/2).</summary>
    private static double ChiExpectation(Func<double, double> f, double freedom)
    {
        double logNormaliser = Math.Log(2) + freedom / 2 * Math.Log(freedom / 2) - SpecialFunctions.GammaLn(freedom / 2);
        double Density(double s) =>
            s <= 0 ? 0 : Math.Exp(logNormaliser + (freedom - 1) * Math.Log(s) - freedom * s * s / 2);
        // Beyond χ² = ν + 20√(2ν) + 100 the chi-square tail is below e⁻⁵⁰.
        double upper = Math.Sqrt((freedom + 20 * Math.Sqrt(2 * freedom) + 100) / freedom);
        return Integrate.GaussKronrod(s => f(s) * Density(s), 0, upper, targetRelativeError: 1e-12, maximumDepth: 30, order: 21);
    }
}
