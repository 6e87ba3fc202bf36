using MinRnn.Analysis.Statistics;
using static MinRnn.Analysis.Tests.Statistics.ReferenceData;

namespace MinRnn.Analysis.Tests.Statistics;

public class MannWhitneyUTestTests
{
    // Textbook: Shier (2004), "Statistics: 2.3 The Mann-Whitney U Test" (the example in scipy's docstring):
    // diagnosis ages of 5 males and 4 females, U_M = 17, U_F = 3, p = 0.11.
    private static readonly double[] Males = [19, 22, 16, 29, 24];
    private static readonly double[] Females = [20, 11, 17, 12];

    [Fact]
    public void TextbookExampleExact()
    {
        // scipy.stats.mannwhitneyu(males, females, method='exact') -> (17.0, 0.1111111111111111), SciPy 1.10.1
        var result = MannWhitneyUTest.Compute(Males, Females);
        Assert.Equal(MannWhitneyMethod.Exact, result.Method);
        Assert.Equal(17.0, result.U);
        Check.Relative(0.1111111111111111, result.PValue, 1e-12);
        Assert.Equal(3.0, MannWhitneyUTest.Compute(Females, Males).U);
    }

    [Fact]
    public void TextbookExampleAsymptotic()
    {
        // scipy.stats.mannwhitneyu(males, females, method='asymptotic') -> p = 0.11134688653314041, SciPy 1.10.1
        var result = MannWhitneyUTest.Compute(Males, Females, MannWhitneyMethod.Asymptotic);
        Assert.Equal(17.0, result.U);
        Check.Relative(0.11134688653314041, result.PValue, 1e-9);
    }

    [Theory]
    // scipy.stats.mannwhitneyu(a, b, method=...), SciPy 1.10.1
    [InlineData("A,B", MannWhitneyMethod.Exact, 108.0, 0.0008319853521091911)]
    [InlineData("B,A", MannWhitneyMethod.Exact, 12.0, 0.0008319853521091911)]
    [InlineData("A,B", MannWhitneyMethod.Asymptotic, 108.0, 0.0017358602386387972)]
    [InlineData("20x20", MannWhitneyMethod.Exact, 118.0, 0.026329137302682788)]
    [InlineData("1-3,4-6", MannWhitneyMethod.Exact, 0.0, 0.1)]
    [InlineData("ties", MannWhitneyMethod.Asymptotic, 18.0, 0.0880017465973957)]
    [InlineData("25x25", MannWhitneyMethod.Asymptotic, 407.0, 0.06816542375143193)]
    public void AutomaticChoiceMatchesSciPy(string pair, MannWhitneyMethod expectedMethod, double u, double p)
    {
        var (a, b) = pair switch
        {
            "A,B" => (A, B),
            "B,A" => (B, A),
            "20x20" => (Exact20A, Exact20B),
            "1-3,4-6" => (new double[] { 1, 2, 3 }, new double[] { 4, 5, 6 }),
            "ties" => (TiesA, TiesB),
            _ => (LargeA, LargeB),
        };
        // Automatic picks exact for the tie-free samples up to 20 values, asymptotic otherwise.
        var method = pair == "A,B" && expectedMethod == MannWhitneyMethod.Asymptotic ? MannWhitneyMethod.Asymptotic : MannWhitneyMethod.Automatic;
        var result = MannWhitneyUTest.Compute(a, b, method);
        Assert.Equal(expectedMethod, result.Method);
        Assert.Equal(u, result.U);
        Check.Relative(p, result.PValue, 1e-9);
    }

    [Fact]
    public void ExactTailSumsToOneAndIsSymmetric()
    {
        // P(U ≥ 0) = 1, and P(U ≥ u) = P(U ≤ n1·n2 − u) = 1 − P(U ≥ n1·n2 − u + 1).
        Check.Relative(1.0, MannWhitneyUTest.ExactUpperTail(0, 7, 9), 1e-14);
        for (int u = 1; u <= 63; u++)
            Check.Relative(MannWhitneyUTest.ExactUpperTail(u, 7, 9), 1 - MannWhitneyUTest.ExactUpperTail(63 - u + 1, 7, 9), 1e-12);
        // 1 of C(6, 3) = 20 arrangements reaches U = 9.
        Check.Relative(1.0 / 20, MannWhitneyUTest.ExactUpperTail(9, 3, 3), 1e-14);
    }

    [Fact]
    public void ExactWithTiesIsNaN()
    {
        var result = MannWhitneyUTest.Compute(TiesA, TiesB, MannWhitneyMethod.Exact);
        Assert.Equal(18.0, result.U);
        Assert.True(double.IsNaN(result.PValue));
    }

    [Fact]
    public void DegenerateInputGivesNaN()
    {
        // All values tie: zero variance, p undefined (scipy reports 1.0 here).
        var ties = MannWhitneyUTest.Compute([1.0, 1.0, 1.0], [1.0, 1.0]);
        Assert.Equal(3.0, ties.U);
        Assert.True(double.IsNaN(ties.PValue));
        Assert.True(double.IsNaN(MannWhitneyUTest.Compute([], B).U));
        var withNaN = MannWhitneyUTest.Compute([0.5, double.NaN], B);
        Assert.True(double.IsNaN(withNaN.U) && double.IsNaN(withNaN.PValue));
    }
}
