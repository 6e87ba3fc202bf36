using MinRnn.Analysis.Statistics;
using static MinRnn.Analysis.Tests.Statistics.ReferenceData;

namespace MinRnn.Analysis.Tests.Statistics;

public class AlmostStochasticOrderTests
{
    // Reference/scipy_reference.py `eps_exact`: the same integrals in exact rational arithmetic (Python fractions),
    // with deep-significance's quantile function x_(ceil(n t)). Its dt = 0.005 Riemann sum is given for comparison.
    [Theory]
    [InlineData("LARGE", 7427.0 / 212137)]             // deep-significance dt=0.005: 0.0316; dt=1e-4: 0.03496
    [InlineData("LARGE reversed", 204710.0 / 212137)]
    [InlineData("EXACT20", 905899317.0 / 906374038)]   // dt=0.005: 0.99942
    [InlineData("[1,2,3],[2.5]", 10.0 / 11)]            // dt=0.005: 0.91033
    [InlineData("[0,4],[1,2,3]", 0.5)]                  // dt=0.005: 0.50623
    public void ViolationRatioMatchesExactRationalIntegral(string pair, double expected)
    {
        var (a, b) = pair switch
        {
            "LARGE" => (LargeA, LargeB),
            "LARGE reversed" => (LargeB, LargeA),
            "EXACT20" => (Exact20A, Exact20B),
            "[1,2,3],[2.5]" => (new[] { 1.0, 2, 3 }, new[] { 2.5 }),
            _ => (new[] { 0.0, 4 }, new[] { 1.0, 2, 3 }),
        };
        Check.Relative(expected, AlmostStochasticOrder.ViolationRatio(a, b), 1e-12);
    }

    [Fact]
    public void CompleteDominanceGivesZeroAndOne()
    {
        Assert.Equal(0.0, AlmostStochasticOrder.ViolationRatio(A, B));
        Assert.Equal(1.0, AlmostStochasticOrder.ViolationRatio(B, A));
        Assert.Equal(1.0, AlmostStochasticOrder.ViolationRatio(TiesA, TiesB));
    }

    [Fact]
    public void RatiosOfBothDirectionsSumToOne()
    {
        double forward = AlmostStochasticOrder.ViolationRatio(Exact20A, TiesA);
        double backward = AlmostStochasticOrder.ViolationRatio(TiesA, Exact20A);
        Check.Relative(1.0, forward + backward, 1e-12);
    }

    [Fact]
    public void InputOrderDoesNotMatter()
    {
        var shuffled = LargeA.Reverse().ToArray();
        Assert.Equal(AlmostStochasticOrder.ViolationRatio(LargeA, LargeB), AlmostStochasticOrder.ViolationRatio(shuffled, LargeB));
    }

    [Fact]
    public void DegenerateInputGivesNaN()
    {
        Assert.True(double.IsNaN(AlmostStochasticOrder.ViolationRatio([1.0, 2.0], [2.0, 1.0]))); // identical distributions
        Assert.True(double.IsNaN(AlmostStochasticOrder.ViolationRatio([], B)));
        Assert.True(double.IsNaN(AlmostStochasticOrder.ViolationRatio([0.5, double.NaN], B)));
    }
}
