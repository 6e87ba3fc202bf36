using MinRnn.Analysis.Statistics;
using static MinRnn.Analysis.Tests.Statistics.ReferenceData;

namespace MinRnn.Analysis.Tests.Statistics;

public class WelchTTestTests
{
    [Theory]
    // t and p: scipy.stats.ttest_ind(a, b, equal_var=False), SciPy 1.10.1;
    // ν: statsmodels.stats.weightstats.ttest_ind(a, b, usevar='unequal')[2], statsmodels 0.13.5 (same t and p).
    [InlineData("A,B", 4.239315348101939, 18.241473189522306, 0.0004804403626497714)]
    [InlineData("ties", -2.1116234781047623, 14.513082309682163, 0.05250243384975056)]
    [InlineData("one zero variance", -3.0, 1.0, 0.20483276469913345)]
    public void MatchesSciPyAndStatsmodels(string pair, double t, double freedom, double p)
    {
        var (a, b) = pair switch
        {
            "A,B" => (A, B),
            "ties" => (TiesA, TiesB),
            _ => (new[] { 1.0, 2.0 }, new[] { 3.0, 3.0, 3.0 }),
        };
        var result = WelchTTest.Compute(a, b);
        Check.Relative(t, result.T, 1e-9);
        Check.Relative(freedom, result.DegreesOfFreedom, 1e-9);
        Check.Relative(p, result.PValue, 1e-8);
        Check.Relative(Descriptive.Mean(a) - Descriptive.Mean(b), result.MeanDifference);
    }

    [Fact]
    public void SwappingSamplesFlipsTheSignOnly()
    {
        var forward = WelchTTest.Compute(A, B);
        var backward = WelchTTest.Compute(B, A);
        Assert.Equal(-forward.T, backward.T);
        Assert.Equal(forward.PValue, backward.PValue);
    }

    [Fact]
    public void DegenerateInputGivesNaN()
    {
        Assert.True(double.IsNaN(WelchTTest.Compute([0.5], B).PValue));              // n = 1
        Assert.True(double.IsNaN(WelchTTest.Compute([1.0, 1.0], [2.0, 2.0]).T));      // both variances zero
        Assert.True(double.IsNaN(WelchTTest.Compute([1.0, 1.0], [2.0, 2.0]).PValue));
        Assert.True(double.IsNaN(WelchTTest.Compute([0.5, double.NaN, 0.7], B).PValue)); // NaN propagates
        Assert.True(double.IsNaN(WelchTTest.Compute([], B).MeanDifference));
    }
}
