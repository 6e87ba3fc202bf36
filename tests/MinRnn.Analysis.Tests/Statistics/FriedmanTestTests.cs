using MinRnn.Analysis.Statistics;

namespace MinRnn.Analysis.Tests.Statistics;

public class FriedmanTestTests
{
    // Demšar (2006), JMLR 7, Table 6: AUC of C4.5, C4.5+m, C4.5+cf, C4.5+m+cf on 14 data sets.
    private static double[,] Demsar(double voting) => new[,]
    {
        { 0.763, 0.768, 0.771, 0.798 }, { 0.599, 0.591, 0.590, 0.569 }, { 0.954, 0.971, 0.968, 0.967 },
        { 0.628, 0.661, 0.654, 0.657 }, { 0.882, 0.888, 0.886, 0.898 }, { 0.936, 0.931, 0.916, 0.931 },
        { 0.661, 0.668, 0.609, 0.685 }, { 0.583, 0.583, 0.563, 0.625 }, { 0.775, 0.838, 0.866, 0.875 },
        { 1.000, 1.000, 1.000, 1.000 }, { 0.940, 0.962, 0.965, 0.962 }, { 0.619, 0.666, 0.614, 0.669 },
        { 0.972, 0.981, voting, 0.975 }, { 0.957, 0.978, 0.946, 0.970 },
    };

    [Fact]
    public void PrintedTableMatchesSciPy()
    {
        // scipy.stats.friedmanchisquare(*columns) and mean of rankdata(-row); SciPy 1.10.1
        var result = FriedmanTest.Compute(Demsar(0.975));
        Check.Relative(10.952380952380956, result.ChiSquare);
        Assert.Equal(3, result.DegreesOfFreedom);
        Check.Relative(0.011986176325417788, result.PValue, 1e-8);
        Check.Relative([3.142857142857143, 2.0, 2.9285714285714284, 1.9285714285714286], result.AverageRanks);
    }

    [Fact]
    public void ReproducesDemsarsPublishedRanksAndStatistic()
    {
        // Demšar ranks "voting" as C4.5+cf above C4.5+m+cf although both print 0.975 (the unrounded AUCs differ);
        // nudging it to 0.97501 gives the published average ranks 3.143, 2.000, 2.893, 1.964 and, through his
        // uncorrected χ²_F = 12N/(k(k+1)) (Σ R_j² − k(k+1)²/4), the published χ²_F = 9.28.
        var result = FriedmanTest.Compute(Demsar(0.97501));
        double[] published = [3.143, 2.000, 2.893, 1.964];
        for (int j = 0; j < 4; j++) Assert.Equal(published[j], result.AverageRanks[j], 3);
        double demsarChiSquare = 12.0 * 14 / (4 * 5) * (result.AverageRanks.Sum(r => r * r) - 4 * 25 / 4.0);
        Assert.Equal(9.28, demsarChiSquare, 2);
        // scipy.stats.friedmanchisquare on the nudged table (tie-corrected); SciPy 1.10.1
        Check.Relative(10.228346456692925, result.ChiSquare);
        Check.Relative(0.016721580328441323, result.PValue, 1e-8);
    }

    [Fact]
    public void SmallTableWithTiesMatchesSciPy()
    {
        double[,] scores = { { 0.81, 0.79, 0.80 }, { 0.75, 0.75, 0.70 }, { 0.90, 0.88, 0.89 }, { 0.66, 0.69, 0.60 }, { 0.72, 0.71, 0.71 } };
        // scipy.stats.friedmanchisquare; average ranks of rankdata(-row) and rankdata(row); SciPy 1.10.1
        var higher = FriedmanTest.Compute(scores, RankOrder.HigherIsBetter);
        Check.Relative(4.333333333333339, higher.ChiSquare);
        Check.Relative(0.1145588439926874, higher.PValue, 1e-8);
        Check.Relative([1.3, 2.2, 2.5], higher.AverageRanks);
        var lower = FriedmanTest.Compute(scores, RankOrder.LowerIsBetter);
        Assert.Equal(higher.ChiSquare, lower.ChiSquare);
        Check.Relative([2.7, 1.8, 1.5], lower.AverageRanks);
    }

    [Fact]
    public void TwoMethodsUseTheSameFormula()
    {
        // scipy refuses k = 2; its formula evaluated by hand in Reference/scipy_reference.py, p from scipy.stats.chi2.sf.
        double[,] scores = { { 1.0, 2.0 }, { 3.0, 2.5 }, { 0.5, 0.7 }, { 4.0, 4.5 }, { 2.0, 2.0 } };
        var result = FriedmanTest.Compute(scores);
        Check.Relative(1.0000000000000053, result.ChiSquare, 1e-12);
        Check.Relative(0.31731050786290993, result.PValue, 1e-8);
    }

    [Fact]
    public void DegenerateInputGivesNaN()
    {
        var allTied = FriedmanTest.Compute(new double[,] { { 1, 1, 1 }, { 2, 2, 2 } });
        Assert.True(double.IsNaN(allTied.ChiSquare) && double.IsNaN(allTied.PValue));
        Assert.Equal([2.0, 2.0, 2.0], allTied.AverageRanks);

        var withNaN = FriedmanTest.Compute(new double[,] { { 1, double.NaN, 3 }, { 2, 1, 3 } });
        Assert.True(double.IsNaN(withNaN.PValue) && withNaN.AverageRanks.All(double.IsNaN));
        Assert.True(double.IsNaN(FriedmanTest.Compute(new double[,] { { 1 }, { 2 } }).ChiSquare)); // one method
        Assert.True(double.IsNaN(FriedmanTest.Compute(new double[0, 3]).ChiSquare));               // no blocks
    }
}

public class NemenyiTestTests
{
    [Fact]
    public void CriticalValuesAreTheStudentizedRangeAndDemsarsTable()
    {
        // scipy.stats.studentized_range.ppf(0.95, k, inf) / sqrt(2), SciPy 1.10.1, for k = 2 … 10;
        // Demšar's Table 5(a) prints them to 3 decimals.
        double[] scipy = [1.9599639845400534, 2.343700586378409, 2.569031772546482, 2.7277743708703763, 2.8497054196100016,
            2.9483200175296744, 3.030878449614413, 3.1017303413033805, 3.163683577053373];
        double[] demsar = [1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164];
        for (int k = 2; k <= 10; k++)
        {
            Assert.InRange(NemenyiTest.CriticalValue(k) - scipy[k - 2], -1e-6, 1e-6);
            Assert.InRange(NemenyiTest.CriticalValue(k) - demsar[k - 2], -0.0011, 0.0011);
        }
    }

    [Fact]
    public void BeyondDemsarsTableFollowsThePrintedStudentizedRange()
    {
        // Upper 5% points of the studentized range q(0.05; k, ∞), k = 11 … 20, to 2 decimals as in the standard tables
        // (Harter 1960, "Tables of range and studentized range", Ann. Math. Statist. 31): the Nemenyi value is q / √2.
        double[] printed = [4.55, 4.62, 4.68, 4.74, 4.80, 4.85, 4.89, 4.93, 4.97, 5.01];
        for (int k = 11; k <= 20; k++)
            Assert.InRange(NemenyiTest.CriticalValue(k) * Math.Sqrt(2) - printed[k - 11], -0.006, 0.006);
        Assert.InRange(NemenyiTest.StudentizedRangeCdf(NemenyiTest.StudentizedRangeQuantile(0.95, 12), 12), 0.95 - 1e-9, 0.95 + 1e-9);
    }

    [Fact]
    public void RangeOfTwoNormalsIsAHalfNormalOfVarianceTwo()
    {
        // For k = 2 the range |Z1 − Z2| is |N(0, 2)|: P(R ≤ q) = 2Φ(q/√2) − 1, an independent closed form.
        foreach (var q in new[] { 0.5, 1.0, 2.77, 4.0 })
            Assert.InRange(NemenyiTest.StudentizedRangeCdf(q, 2) - (2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, q / Math.Sqrt(2)) - 1), -1e-9, 1e-9);
    }

    [Fact]
    public void ReproducesDemsarsCriticalDifference()
    {
        // Demšar (2006) §3.2.4: four methods on 14 data sets, CD = 2.569 √(4·5/(6·14)) = 1.25.
        Assert.Equal(1.25, NemenyiTest.CriticalDifference(4, 14), 2);
        Check.Relative(NemenyiTest.CriticalValue(4) * Math.Sqrt(20.0 / 84), NemenyiTest.CriticalDifference(4, 14), 1e-14);
    }

    [Fact]
    public void UndefinedCasesAreNaN()
    {
        Assert.True(double.IsNaN(NemenyiTest.CriticalDifference(1, 10)));
        Assert.True(double.IsNaN(NemenyiTest.CriticalDifference(4, 0)));
    }
}
