namespace MinRnn.Analysis.Statistics;

/// <summary>Corrections of p-values for testing many hypotheses at once.</summary>
public static class MultipleComparisons
{
    /// <summary>
    /// Holm–Bonferroni step-down adjusted p-values (Holm 1979), in the input order: with the m valid p-values sorted
    /// ascending, p̃₍i₎ = min(1, max_{j≤i} (m − j + 1)·p₍j₎) (statsmodels multipletests(method='holm')).
    /// Reject hypothesis i at family-wise level α when p̃_i ≤ α.
    /// </summary>
    /// <remarks>NaN p-values are passed through as NaN and do not count towards m.</remarks>
    public static double[] HolmBonferroni(IReadOnlyList<double> pValues)
    {
        var adjusted = Enumerable.Repeat(double.NaN, pValues.Count).ToArray();
        var order = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i]))
            .OrderBy(i => pValues[i]).ToArray();
        int m = order.Length;
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1.0, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
