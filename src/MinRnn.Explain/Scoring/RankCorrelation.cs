namespace MinRnn.Explain.Scoring;

/// <summary>Spearman's rank correlation: Pearson's r of the ranks, ties given their average rank
/// (scipy.stats.spearmanr). NaN when either input is constant.</summary>
public static class RankCorrelation
{
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"spearman: lengths differ ({x.Count} vs {y.Count})");
        var (rx, ry) = (AverageRanks(x), AverageRanks(y));
        var (mx, my) = (rx.Average(), ry.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>1-based ranks, smallest first; tied values share the mean of their ranks.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]]) end++;
            for (var i = start; i < end; i++) ranks[order[i]] = (start + 1 + end) / 2.0;   // mean of ranks start+1 … end
            start = end;
        }
        return ranks;
    }
}
