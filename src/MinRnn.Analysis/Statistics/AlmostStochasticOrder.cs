namespace MinRnn.Analysis.Statistics;

/// <summary>
/// Almost Stochastic Order (del Barrio, Cuesta-Albertos &amp; Matrán 2018; Dror, Shlomov &amp; Reichart 2019): how far
/// "a is stochastically larger than b" is violated, as the share of the squared 2-Wasserstein distance between the
/// two empirical distributions that lies where b's quantile function is above a's.
/// </summary>
public static class AlmostStochasticOrder
{
    /// <summary>
    /// ε_W(a, b) = ∫₀¹ max(F⁻¹_b(t) − F⁻¹_a(t), 0)² dt / ∫₀¹ (F⁻¹_a(t) − F⁻¹_b(t))² dt, in [0, 1], where F⁻¹ is the
    /// empirical quantile function F⁻¹(t) = x₍⌈n t⌉₎ (deep-significance's get_quantile_function).
    /// 0 means a dominates b completely, 1 means b dominates a, and ε_W(a, b) + ε_W(b, a) = 1.
    /// </summary>
    /// <remarks>
    /// Both quantile functions are step functions with steps at multiples of 1/n_a and 1/n_b, so the integrals are
    /// computed exactly over the merged steps. deep-significance's compute_violation_ratio evaluates the same
    /// integrals as a left Riemann sum on t = 0, dt, 2dt, … (dt = 0.005) and tends to this value as dt → 0.
    /// This is the plain ratio of the two samples; deep-significance's aso() reports ε_min, an upper confidence bound
    /// on it from a bootstrap estimate of its spread, which is not computed here.
    /// Degenerate input: an empty sample or any NaN gives NaN; identical quantile functions (distance 0) give NaN
    /// (deep-significance returns 0 with a warning).
    /// </remarks>
    public static double ViolationRatio(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (Samples.IsUnusable(a) || Samples.IsUnusable(b)) return double.NaN;
        var sortedA = Samples.Sorted(a);
        var sortedB = Samples.Sorted(b);
        long na = sortedA.Length, nb = sortedB.Length;

        // Walk t over (0, 1] in units of 1/(na·nb): a's step i ends at (i+1)·nb, b's step j at (j+1)·na.
        double violation = 0, distance = 0;
        long position = 0;
        int i = 0, j = 0;
        while (i < na && j < nb)
        {
            long endA = (i + 1) * nb, endB = (j + 1) * na;
            long end = Math.Min(endA, endB);
            double width = (end - position) / (double)(na * nb);
            double difference = sortedB[j] - sortedA[i];
            distance += width * difference * difference;
            if (difference > 0) violation += width * difference * difference;
            position = end;
            if (endA == end) i++;
            if (endB == end) j++;
        }
        return distance > 0 ? violation / distance : double.NaN;
    }
}
