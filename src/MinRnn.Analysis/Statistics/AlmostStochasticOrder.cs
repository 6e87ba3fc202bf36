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

    /// <summary>
    /// ε_min, deep-significance's aso(): the violation ratio lowered by its bootstrap spread,
    /// ε_min = clip(ε_W − σ̂ Φ⁻¹(confidence) / c, 0, 1) with c = √(n m / (n + m)) and σ̂ the standard deviation of
    /// c (ε_W(a*, b*) − ε_W) over `iterations` paired bootstrap resamples (seeded SplitMix64, so reproducible, but
    /// not the same random draws as the Python package). Below 0.5: a is almost stochastically larger than b.
    /// NaN where the violation ratio is NaN.
    /// </summary>
    public static double MinimalEpsilon(IReadOnlyList<double> a, IReadOnlyList<double> b, ulong seed,
        int iterations = 1000, double confidence = 0.95)
    {
        var ratio = ViolationRatio(a, b);
        if (double.IsNaN(ratio)) return double.NaN;
        var c = Math.Sqrt(a.Count * (double)b.Count / (a.Count + b.Count));
        var random = new SplitMix64(seed);
        var (ra, rb) = (new double[a.Count], new double[b.Count]);
        var deviations = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            for (var j = 0; j < ra.Length; j++) ra[j] = a[random.NextIndex(a.Count)];
            for (var j = 0; j < rb.Length; j++) rb[j] = b[random.NextIndex(b.Count)];
            var r = ViolationRatio(ra, rb);
            if (!double.IsNaN(r)) deviations.Add(c * (r - ratio));
        }
        if (deviations.Count < 2) return ratio;
        var sigma = Descriptive.StandardDeviation(deviations);
        return Math.Clamp(ratio - sigma * Quantiles.Normal(confidence) / c, 0, 1);
    }
}
