using MathNetStatistics = MathNet.Numerics.Statistics.Statistics;

namespace MinRnn.Analysis.Statistics;

/// <summary>One sample of repeated runs summarised: location, spread and a t-interval for the mean.</summary>
public sealed record DescriptiveSummary(
    int Count,
    double Mean,
    double StandardDeviation,
    double Median,
    double InterquartileMean,
    double Minimum,
    double Maximum,
    double MeanLower95,
    double MeanUpper95);

/// <summary>
/// Descriptive statistics of one sample. Empty input or any NaN gives NaN; the sample standard deviation and the
/// t-interval need n ≥ 2 and are NaN for n = 1. Zero variance is not degenerate here: sd = 0 and the interval is
/// [mean, mean].
/// </summary>
public static class Descriptive
{
    /// <summary>Arithmetic mean Σx / n (numpy.mean).</summary>
    public static double Mean(IReadOnlyList<double> values) =>
        values.Count == 0 ? double.NaN : Samples.Sum(values) / values.Count;

    /// <summary>Sample standard deviation with the n − 1 denominator (numpy.std(ddof=1)); NaN for n &lt; 2.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values) => MathNetStatistics.StandardDeviation(values);

    /// <summary>Median: the middle value, or the mean of the two middle values (numpy.median).</summary>
    public static double Median(IReadOnlyList<double> values) =>
        Samples.IsUnusable(values) ? double.NaN : MathNetStatistics.Median(values);

    /// <summary>
    /// Interquartile mean: the mean of the middle 50 %, rliable's IQM = scipy.stats.trim_mean(x, 0.25), which cuts
    /// ⌊n/4⌋ values from each end (so n ≤ 3 gives the plain mean).
    /// </summary>
    public static double InterquartileMean(IReadOnlyList<double> values)
    {
        if (Samples.IsUnusable(values)) return double.NaN;
        var sorted = Samples.Sorted(values);
        int cut = sorted.Length / 4;
        return Mean(new ArraySegment<double>(sorted, cut, sorted.Length - 2 * cut));
    }

    /// <summary>Smallest value; NaN if empty or any value is NaN.</summary>
    public static double Minimum(IReadOnlyList<double> values) => MathNetStatistics.Minimum(values);

    /// <summary>Largest value; NaN if empty or any value is NaN.</summary>
    public static double Maximum(IReadOnlyList<double> values) => MathNetStatistics.Maximum(values);

    /// <summary>
    /// Student-t confidence interval for the mean: x̄ ± t_{(1+c)/2, n−1} · s/√n
    /// (scipy.stats.t.interval(c, n − 1, loc=x̄, scale=s/√n)). NaN for n &lt; 2.
    /// </summary>
    public static (double Lower, double Upper) MeanConfidenceInterval(IReadOnlyList<double> values, double confidence = 0.95)
    {
        int n = values.Count;
        double mean = Mean(values), sd = StandardDeviation(values);
        if (n < 2 || double.IsNaN(mean) || double.IsNaN(sd)) return (double.NaN, double.NaN);
        double halfWidth = Quantiles.StudentT((1 + confidence) / 2, n - 1) * sd / Math.Sqrt(n);
        return (mean - halfWidth, mean + halfWidth);
    }

    /// <summary>All of the above for one sample, with the 95 % t-interval.</summary>
    public static DescriptiveSummary Summarize(IReadOnlyList<double> values)
    {
        var (lower, upper) = MeanConfidenceInterval(values);
        return new DescriptiveSummary(values.Count, Mean(values), StandardDeviation(values), Median(values),
            InterquartileMean(values), Minimum(values), Maximum(values), lower, upper);
    }
}
