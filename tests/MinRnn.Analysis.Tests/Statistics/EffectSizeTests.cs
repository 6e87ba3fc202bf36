using MinRnn.Analysis.Statistics;
using static MinRnn.Analysis.Tests.Statistics.ReferenceData;

namespace MinRnn.Analysis.Tests.Statistics;

public class EffectSizeTests
{
    [Fact]
    public void HedgesGMatchesTheFormulaInNumPy()
    {
        // Reference/scipy_reference.py `hedges` (numpy var(ddof=1), scipy.stats.norm.ppf(0.975)); NumPy 1.24.2
        var result = EffectSize.HedgesG(A, B);
        Check.Relative(1.8361441833267484, result.CohensD);
        Check.Relative(0.9620253164556962, result.Correction);
        Check.Relative(1.766417189023201, result.G);
        Check.Relative(0.24058797444674695, result.Variance);
        Check.Relative(0.805059401000766, result.Lower);
        Check.Relative(2.727774977045636, result.Upper);
    }

    [Fact]
    public void HedgesGReproducesBorensteinWorkedExample()
    {
        // Borenstein, Hedges, Higgins & Rothstein (2009), Introduction to Meta-Analysis, ch. 4 worked example:
        // treated 103.00 ± 5.5 (n 50), control 100.00 ± 4.5 (n 50): d = 0.5970, V_d = 0.0418, J = 0.9923,
        // g = 0.5924, V_g = 0.0411 (published to 4 decimals; the full-precision values from the same formulas).
        var result = EffectSize.HedgesGFromSummary(103.00, 5.5, 50, 100.00, 4.5, 50);
        Assert.Equal(0.5970, result.CohensD, 4);
        Assert.Equal(0.9923, result.Correction, 4);
        Assert.Equal(0.5924, result.G, 4);
        Assert.Equal(0.0411, result.Variance, 4);
        Check.Relative(0.5924415802580191, result.G);
        Check.Relative(0.04114347916107144, result.Variance);
    }

    [Theory]
    // U1 / (n1 n2) with U1 from scipy.stats.mannwhitneyu(a, b), SciPy 1.10.1; Cliff's δ = 2·that − 1.
    [InlineData("A,B", 0.9, 0.8)]
    [InlineData("ties", 0.25, -0.5)]
    public void RankEffectSizesMatchMannWhitneyU(string pair, double improvement, double delta)
    {
        var (a, b) = pair == "A,B" ? (A, B) : (TiesA, TiesB);
        Check.Relative(improvement, EffectSize.ProbabilityOfImprovement(a, b), 1e-12);
        Check.Relative(delta, EffectSize.CliffsDelta(a, b), 1e-12);
        Check.Relative(-delta, EffectSize.CliffsDelta(b, a), 1e-12);
    }

    [Fact]
    public void AllTiesAreNoEffectRatherThanUndefined()
    {
        Assert.Equal(0.0, EffectSize.CliffsDelta([1.0, 1.0], [1.0, 1.0, 1.0]));
        Assert.Equal(0.5, EffectSize.ProbabilityOfImprovement([1.0, 1.0], [1.0, 1.0, 1.0]));
    }

    [Fact]
    public void DegenerateInputGivesNaN()
    {
        Assert.True(double.IsNaN(EffectSize.HedgesG([1.0, 1.0], [2.0, 2.0]).G));     // pooled sd 0
        Assert.True(double.IsNaN(EffectSize.HedgesG([1.0], [2.0]).G));               // n1 + n2 < 3
        Assert.True(double.IsNaN(EffectSize.HedgesG([0.5, double.NaN, 0.7], B).Lower));
        Assert.True(double.IsNaN(EffectSize.CliffsDelta([], B)));
        Assert.True(double.IsNaN(EffectSize.ProbabilityOfImprovement([double.NaN], B)));
    }

    [Fact]
    public void SingleRunAgainstASampleUsesThatSamplesSpread()
    {
        // n_a = 1 contributes no degrees of freedom: s_pooled = s_b.
        var result = EffectSize.HedgesG([1.0], [0.0, 1.0, 2.0]);
        Check.Relative(0.0, result.CohensD);
        var shifted = EffectSize.HedgesG([3.0], [0.0, 1.0, 2.0]);
        Check.Relative(2.0, shifted.CohensD); // (3 − 1) / 1
    }
}
