using MinRnn.Analysis.Statistics;

namespace MinRnn.Analysis.Tests.Statistics;

public class MultipleComparisonsTests
{
    [Fact]
    public void HolmMatchesStatsmodels()
    {
        // statsmodels.stats.multitest.multipletests(p, method='holm')[1], statsmodels 0.13.5
        Check.Relative([0.05, 0.12, 0.12, 0.03, 0.2, 0.12],
            MultipleComparisons.HolmBonferroni([0.01, 0.04, 0.03, 0.005, 0.2, 0.04]), 1e-12);
        Check.Relative([0.6, 0.6, 0.06], MultipleComparisons.HolmBonferroni([0.3, 0.6, 0.02]), 1e-12);
    }

    [Fact]
    public void AdjustedValuesAreCappedAtOne()
    {
        Assert.Equal([1.0, 1.0], MultipleComparisons.HolmBonferroni([0.7, 0.9]));
    }

    [Fact]
    public void NaNIsPassedThroughAndNotCounted()
    {
        var adjusted = MultipleComparisons.HolmBonferroni([0.3, double.NaN, 0.02]);
        Assert.True(double.IsNaN(adjusted[1]));
        Check.Relative(0.3, adjusted[0], 1e-12);   // m = 2: max(2·0.02, 1·0.3)
        Check.Relative(0.04, adjusted[2], 1e-12);
    }

    [Fact]
    public void EmptyInputGivesEmptyOutput() => Assert.Empty(MultipleComparisons.HolmBonferroni([]));
}
