using MathNet.Numerics.Distributions;

namespace MinRnn.Analysis.Statistics;

/// <summary>
/// The Nemenyi post-hoc test after a Friedman test (Demšar 2006, §3.2.2): two methods differ at α = 0.05 when their
/// average ranks differ by at least the critical difference CD = q_α √(k(k+1)/(6N)), with q_α the upper α point of the
/// studentized range of k normals (infinite degrees of freedom) divided by √2 — Demšar's Table 5(a) for k ≤ 10,
/// computed here for any k.
/// </summary>
public static class NemenyiTest
{
    /// <summary>q_0.05 for k ≥ 2 methods: the 0.95 quantile of the studentized range / √2; NaN for k &lt; 2.</summary>
    public static double CriticalValue(int methods) =>
        methods < 2 ? double.NaN : StudentizedRangeQuantile(0.95, methods) / Math.Sqrt(2);

    /// <summary>CD = q_0.05 √(k(k+1)/(6N)) for k methods over N blocks; NaN for k &lt; 2 or N &lt; 1.</summary>
    public static double CriticalDifference(int methods, int blocks) =>
        blocks < 1 ? double.NaN : CriticalValue(methods) * Math.Sqrt(methods * (methods + 1) / (6.0 * blocks));

    /// <summary>The p quantile of the range of k standard normals, by bisection on <see cref="StudentizedRangeCdf"/>.</summary>
    public static double StudentizedRangeQuantile(double p, int k)
    {
        var (lo, hi) = (0.0, 20.0);
        while (hi - lo > 1e-12) { var mid = (lo + hi) / 2; if (StudentizedRangeCdf(mid, k) < p) lo = mid; else hi = mid; }
        return (lo + hi) / 2;
    }

    /// <summary>P(range of k standard normals ≤ q) = k ∫ φ(z) [Φ(z) − Φ(z − q)]^(k−1) dz (the studentized range with
    /// infinite degrees of freedom), by composite Simpson over z ∈ [−10, 10 + q], where the integrand lives.</summary>
    public static double StudentizedRangeCdf(double q, int k)
    {
        if (q <= 0) return 0;
        const int intervals = 4000;
        var (a, b) = (-10.0, 10.0 + q);
        var h = (b - a) / intervals;
        double F(double z) => Normal.PDF(0, 1, z) * Math.Pow(Normal.CDF(0, 1, z) - Normal.CDF(0, 1, z - q), k - 1);
        var sum = F(a) + F(b);
        for (var i = 1; i < intervals; i++) sum += (i % 2 == 1 ? 4 : 2) * F(a + i * h);
        return Math.Min(1, k * sum * h / 3);
    }
}
