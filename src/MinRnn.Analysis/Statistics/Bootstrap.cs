namespace MinRnn.Analysis.Statistics;

/// <summary>
/// A bootstrap confidence interval: the statistic on the sample, the percentile interval and the BCa interval,
/// with everything needed to reproduce it.
/// </summary>
public sealed record BootstrapInterval(
    double Estimate,
    (double Lower, double Upper) Percentile,
    (double Lower, double Upper) BiasCorrectedAccelerated,
    double Confidence,
    int Resamples,
    ulong Seed);

/// <summary>
/// Seeded nonparametric bootstrap (Efron &amp; Tibshirani 1993, ch. 13–14) following scipy.stats.bootstrap:
/// each resample draws n indices with replacement from <see cref="SplitMix64"/>; the percentile interval is
/// numpy.percentile (linear) of the replicates at (1 − c)/2 and (1 + c)/2; BCa moves those levels by the bias
/// z₀ = Φ⁻¹((#{θ*&lt;θ̂} + #{θ*≤θ̂}) / 2B) and the jackknife acceleration a = Σd³ / (6 (Σd²)^{3/2}), d_i = θ̄₍·₎ − θ₍i₎.
/// </summary>
/// <remarks>
/// Degenerate input: empty, n = 1 or any NaN gives NaN intervals. A sample whose jackknife values are all equal
/// (e.g. zero variance) has acceleration 0/0; we take a = 0 there, so a constant sample gets [x, x] from both
/// methods (scipy reports NaN for BCa). BCa is NaN when θ̂ lies outside all replicates (z₀ = ±∞).
/// </remarks>
public static class Bootstrap
{
    /// <summary>Resamples drawn unless told otherwise.</summary>
    public const int DefaultResamples = 10_000;

    /// <summary>Bootstrap interval for the mean.</summary>
    public static BootstrapInterval MeanInterval(IReadOnlyList<double> values, ulong seed,
        int resamples = DefaultResamples, double confidence = 0.95) =>
        Interval(values, Descriptive.Mean, seed, resamples, confidence);

    /// <summary>
    /// Bootstrap interval for any statistic of one sample, e.g. <c>Descriptive.InterquartileMean</c>. The statistic
    /// receives a scratch list that is overwritten after it returns; it must not keep it.
    /// </summary>
    public static BootstrapInterval Interval(IReadOnlyList<double> values, Func<IReadOnlyList<double>, double> statistic,
        ulong seed, int resamples = DefaultResamples, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence));
        var unusable = (double.NaN, double.NaN);
        if (values.Count < 2 || Samples.ContainsNaN(values))
            return new BootstrapInterval(statistic(values), unusable, unusable, confidence, resamples, seed);

        double estimate = statistic(values);
        var replicates = Replicates(values, statistic, seed, resamples);
        double alpha = (1 - confidence) / 2;
        var sorted = (double[])replicates.Clone();
        Array.Sort(sorted);
        var percentile = (Samples.LinearQuantile(sorted, alpha), Samples.LinearQuantile(sorted, 1 - alpha));
        var (lowerLevel, upperLevel) = BcaLevels(values, statistic, estimate, replicates, alpha);
        var bca = (Samples.LinearQuantile(sorted, lowerLevel), Samples.LinearQuantile(sorted, upperLevel));
        return new BootstrapInterval(estimate, percentile, bca, confidence, resamples, seed);
    }

    /// <summary>θ*_b for b = 1 … B; resample b takes the next n indices of one SplitMix64 stream.</summary>
    internal static double[] Replicates(IReadOnlyList<double> values, Func<IReadOnlyList<double>, double> statistic,
        ulong seed, int resamples)
    {
        var generator = new SplitMix64(seed);
        var resample = new double[values.Count];
        var replicates = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < resample.Length; i++) resample[i] = values[generator.NextIndex(values.Count)];
            replicates[b] = statistic(resample);
        }
        return replicates;
    }

    /// <summary>The BCa percentile levels α₁, α₂ (Efron &amp; Tibshirani 1993, §14.3; scipy's _bca_interval).</summary>
    internal static (double Lower, double Upper) BcaLevels(IReadOnlyList<double> values,
        Func<IReadOnlyList<double>, double> statistic, double estimate, double[] replicates, double alpha)
    {
        int below = 0, belowOrEqual = 0;
        foreach (double r in replicates)
        {
            if (r < estimate) below++;
            if (r <= estimate) belowOrEqual++;
        }
        double bias = Quantiles.Normal((below + belowOrEqual) / (2.0 * replicates.Length));
        double acceleration = JackknifeAcceleration(values, statistic);

        double Level(double z) => Quantiles.NormalCdf(bias + (bias + z) / (1 - acceleration * (bias + z)));
        double zAlpha = Quantiles.Normal(alpha);
        return (Level(zAlpha), Level(-zAlpha));
    }

    /// <summary>a = Σ d_i³ / (6 (Σ d_i²)^{3/2}) with d_i = mean of the leave-one-out values − θ₍i₎; 0 when all d_i = 0.</summary>
    internal static double JackknifeAcceleration(IReadOnlyList<double> values, Func<IReadOnlyList<double>, double> statistic)
    {
        int n = values.Count;
        var leaveOneOut = new double[n];
        var rest = new double[n - 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0, k = 0; j < n; j++)
                if (j != i) rest[k++] = values[j];
            leaveOneOut[i] = statistic(rest);
        }
        double center = Descriptive.Mean(leaveOneOut), cubes = 0, squares = 0;
        foreach (double theta in leaveOneOut)
        {
            double d = center - theta;
            squares += d * d;
            cubes += d * d * d;
        }
        return squares == 0 ? 0 : cubes / (6 * Math.Pow(squares, 1.5));
    }
}
