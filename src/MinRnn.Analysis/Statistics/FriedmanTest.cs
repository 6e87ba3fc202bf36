using MathNet.Numerics;

namespace MinRnn.Analysis.Statistics;

/// <summary>Which end of a score is the better one; rank 1 goes to the best method.</summary>
public enum RankOrder
{
    /// <summary>Accuracy-like scores: the highest value gets rank 1.</summary>
    HigherIsBetter,
    /// <summary>Loss-like scores: the lowest value gets rank 1.</summary>
    LowerIsBetter,
}

/// <summary>Friedman test result: tie-corrected χ², its degrees of freedom k − 1, p, and each method's average rank.</summary>
public sealed record FriedmanResult(double ChiSquare, int DegreesOfFreedom, double PValue, double[] AverageRanks);

/// <summary>
/// Friedman's test for k methods measured on the same N blocks (task settings, data sets or paired seeds), as
/// recommended by Demšar (2006, JMLR 7, §3.2.2) and computed as scipy.stats.friedmanchisquare: ranks within each
/// block, ties averaged; χ² = (12/(N k (k+1)) Σ_j R_j² − 3N(k+1)) / C with R_j the rank sum of method j and the tie
/// correction C = 1 − Σ_blocks Σ(t³ − t) / (N k (k² − 1)); p = P(χ²_{k−1} ≥ χ²).
/// </summary>
/// <remarks>
/// Degenerate input: k &lt; 2, N &lt; 1 or any NaN gives NaN (average ranks too, for NaN); every block fully tied
/// gives C = 0 and a NaN statistic and p, while the average ranks, all (k+1)/2, stay defined.
/// The χ² approximation is rough for N ≤ 10 or k ≤ 4 (scipy's note); scipy itself refuses k = 2.
/// </remarks>
public static class FriedmanTest
{
    /// <param name="scores">scores[block, method].</param>
    /// <param name="order">Which scores are better, for the average ranks (the statistic does not depend on it).</param>
    public static FriedmanResult Compute(double[,] scores, RankOrder order = RankOrder.HigherIsBetter)
    {
        int blocks = scores.GetLength(0), methods = scores.GetLength(1);
        if (methods < 2 || blocks < 1 || scores.Cast<double>().Any(double.IsNaN))
            return new FriedmanResult(double.NaN, methods - 1, double.NaN, Enumerable.Repeat(double.NaN, methods).ToArray());

        var rankSums = new double[methods];
        double tieTerm = 0;
        for (int block = 0; block < blocks; block++)
        {
            // Negating higher-is-better scores makes rank 1 the best method.
            var row = Enumerable.Range(0, methods)
                .Select(m => order == RankOrder.HigherIsBetter ? -scores[block, m] : scores[block, m]).ToArray();
            var ranks = Ranks.Average(row);
            for (int m = 0; m < methods; m++) rankSums[m] += ranks[m];
            tieTerm += Ranks.TieTerm(row);
        }

        double k = methods, n = blocks;
        var averageRanks = rankSums.Select(r => r / n).ToArray();
        double correction = 1 - tieTerm / (n * k * (k * k - 1));
        if (!(correction > 0)) return new FriedmanResult(double.NaN, methods - 1, double.NaN, averageRanks);

        double uncorrected = 12 / (n * k * (k + 1)) * rankSums.Sum(r => r * r) - 3 * n * (k + 1);
        double chiSquare = Math.Max(0, uncorrected / correction); // rounding can leave −1e−15 when all R_j are equal
        double p = SpecialFunctions.GammaUpperRegularized((k - 1) / 2, chiSquare / 2);
        return new FriedmanResult(chiSquare, methods - 1, p, averageRanks);
    }
}
