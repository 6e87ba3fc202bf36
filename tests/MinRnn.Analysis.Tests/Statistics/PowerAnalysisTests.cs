using MinRnn.Analysis.Statistics;

namespace MinRnn.Analysis.Tests.Statistics;

public class PowerAnalysisTests
{
    [Theory]
    // scipy.optimize.brentq on scipy.stats.nct.sf(c, ν, δ) + nct.cdf(−c, ν, δ) = 0.8 (xtol 1e-15), SciPy 1.10.1;
    // statsmodels TTestIndPower().solve_power agrees to its own solver tolerance (≤ 5e-7 relative).
    [InlineData(2, 5.653489266395663)]
    [InlineData(3, 3.070892266363693)]
    [InlineData(5, 2.0244393392690117)]
    [InlineData(10, 1.3249473925791948)]
    [InlineData(20, 0.9091290328949521)]
    [InlineData(64, 0.49906917796169453)]
    public void MinimumDetectableEffectMatchesSciPyNoncentralT(int perGroup, double expected)
    {
        Check.Relative(expected, PowerAnalysis.MinimumDetectableEffect(perGroup), 1e-8);
    }

    [Theory]
    // scipy.stats.nct as above; power(0.5, 10) also equals statsmodels TTestIndPower().power(0.5, 10, 0.05).
    [InlineData(0.5, 10, 0.18509565629118482)]
    [InlineData(1.2, 5, 0.38643726106517706)]
    public void PowerMatchesSciPyNoncentralT(double effect, int perGroup, double expected)
    {
        Check.Relative(expected, PowerAnalysis.Power(effect, perGroup), 1e-9);
    }

    [Theory]
    // Cohen (1992), "A power primer", Table 2 (from Cohen 1988, Table 2.4.1): two-sided α = 0.05, power 0.80 needs
    // n = 64 per group for d = 0.5 and n = 26 for d = 0.8. (Its n = 393 for d = 0.2 gives power 0.7996 with the
    // exact noncentral t, a rounding of Cohen's approximation, so it is not asserted.)
    [InlineData(0.5, 64)]
    [InlineData(0.8, 26)]
    public void ReproducesCohensSampleSizeTable(double effect, int perGroup)
    {
        Assert.True(PowerAnalysis.MinimumDetectableEffect(perGroup) <= effect);
        Assert.True(PowerAnalysis.MinimumDetectableEffect(perGroup - 1) > effect);
    }

    [Fact]
    public void NoEffectIsDetectedAtTheSignificanceLevel()
    {
        Check.Relative(0.05, PowerAnalysis.Power(0, 8), 1e-9);
    }

    [Fact]
    public void FewerThanTwoRunsPerGroupIsNaN()
    {
        Assert.True(double.IsNaN(PowerAnalysis.MinimumDetectableEffect(1)));
        Assert.True(double.IsNaN(PowerAnalysis.Power(1.0, 1)));
    }
}
