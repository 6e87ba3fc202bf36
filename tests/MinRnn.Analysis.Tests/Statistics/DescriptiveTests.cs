using MinRnn.Analysis.Statistics;
using static MinRnn.Analysis.Tests.Statistics.ReferenceData;

namespace MinRnn.Analysis.Tests.Statistics;

public class DescriptiveTests
{
    [Fact]
    public void SummaryMatchesNumPyAndSciPy()
    {
        // numpy mean, std(ddof=1), median, scipy.stats.trim_mean(x, 0.25), min, max,
        // scipy.stats.t.interval(0.95, n-1, loc=mean, scale=sd/sqrt(n)); SciPy 1.10.1
        var original = A.ToArray();
        var a = Descriptive.Summarize(A);
        Assert.Equal(original, A); // the sample is not reordered
        Assert.Equal(10, a.Count);
        Check.Relative(0.9094000000000001, a.Mean);
        Check.Relative(0.016228917948457877, a.StandardDeviation);
        Check.Relative(0.9105000000000001, a.Median);
        Check.Relative(0.9105, a.InterquartileMean);
        Check.Relative(0.884, a.Minimum);
        Check.Relative(0.931, a.Maximum);
        Check.Relative(0.8977905314694331, a.MeanLower95);
        Check.Relative(0.9210094685305671, a.MeanUpper95);

        var b = Descriptive.Summarize(B);
        Check.Relative(0.8814166666666668, b.Mean);
        Check.Relative(0.01438091116934551, b.StandardDeviation);
        Check.Relative(0.88, b.Median);
        Check.Relative(0.8809999999999999, b.InterquartileMean);
        Check.Relative(0.8722794716335062, b.MeanLower95);
        Check.Relative(0.8905538616998275, b.MeanUpper95);

        var ties = Descriptive.Summarize(TiesB);
        Check.Relative(4.777777777777778, ties.Mean);
        Check.Relative(1.855921454276674, ties.StandardDeviation);
        Check.Relative(5.0, ties.Median);
        Check.Relative(4.8, ties.InterquartileMean);
        Check.Relative(3.3511902618247253, ties.MeanLower95);
        Check.Relative(6.20436529373083, ties.MeanUpper95);
    }

    [Fact]
    public void IntervalAtOtherConfidenceMatchesSciPy()
    {
        // scipy.stats.t.interval(0.90, 9, loc=mean(A), scale=sd(A)/sqrt(10)); SciPy 1.10.1
        var (lower, upper) = Descriptive.MeanConfidenceInterval(A, 0.90);
        Check.Relative(0.8999924012464141, lower);
        Check.Relative(0.9188075987535861, upper);
    }

    [Theory]
    // scipy.stats.trim_mean([5, 1, 9, 3, 7, 2, 8, 4][:n], 0.25): cuts floor(n/4) from each end; SciPy 1.10.1
    [InlineData(1, 5.0)]
    [InlineData(2, 3.0)]
    [InlineData(3, 5.0)]
    [InlineData(4, 4.0)]
    [InlineData(5, 5.0)]
    [InlineData(6, 4.25)]
    [InlineData(7, 5.0)]
    [InlineData(8, 4.75)]
    public void InterquartileMeanFollowsTrimMean(int count, double expected)
    {
        double[] values = [5, 1, 9, 3, 7, 2, 8, 4];
        Check.Relative(expected, Descriptive.InterquartileMean(values[..count]));
    }

    [Fact]
    public void EmptySampleIsNaNEverywhere()
    {
        var summary = Descriptive.Summarize([]);
        Assert.Equal(0, summary.Count);
        Assert.All(new[] { summary.Mean, summary.StandardDeviation, summary.Median, summary.InterquartileMean,
            summary.Minimum, summary.Maximum, summary.MeanLower95, summary.MeanUpper95 }, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void SingleValueHasLocationButNoSpread()
    {
        var summary = Descriptive.Summarize([0.75]);
        Assert.Equal(0.75, summary.Mean);
        Assert.Equal(0.75, summary.Median);
        Assert.Equal(0.75, summary.InterquartileMean);
        Assert.True(double.IsNaN(summary.StandardDeviation));
        Assert.True(double.IsNaN(summary.MeanLower95));
        Assert.True(double.IsNaN(summary.MeanUpper95));
    }

    [Fact]
    public void ZeroVarianceGivesAZeroWidthInterval()
    {
        var summary = Descriptive.Summarize([1.0, 1.0, 1.0, 1.0]);
        Assert.Equal(0.0, summary.StandardDeviation);
        Assert.Equal(1.0, summary.MeanLower95);
        Assert.Equal(1.0, summary.MeanUpper95);
    }

    [Fact]
    public void NaNPropagatesToEveryStatistic()
    {
        var summary = Descriptive.Summarize([0.9, double.NaN, 0.8, 0.85]);
        Assert.All(new[] { summary.Mean, summary.StandardDeviation, summary.Median, summary.InterquartileMean,
            summary.Minimum, summary.Maximum, summary.MeanLower95, summary.MeanUpper95 }, v => Assert.True(double.IsNaN(v)));
    }
}
