namespace MinRnn.Analysis.Statistics;

/// <summary>Ranks with ties averaged, as scipy.stats.rankdata(method='average').</summary>
internal static class Ranks
{
    /// <summary>1-based ranks, smallest value first; tied values share the mean of their ranks.</summary>
    public static double[] Average(IReadOnlyList<double> values)
    {
        int n = values.Count;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (i, j) => values[i].CompareTo(values[j]));
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && values[order[end]] == values[order[start]]) end++;
            double shared = (start + 1 + end) / 2.0; // mean of the ranks start+1 … end
            for (int i = start; i < end; i++) ranks[order[i]] = shared;
            start = end;
        }
        return ranks;
    }

    /// <summary>Σ (t³ − t) over the groups of t tied values: the tie term of rank-test variances.</summary>
    public static double TieTerm(IReadOnlyList<double> values)
    {
        var sorted = Samples.Sorted(values);
        double term = 0;
        for (int start = 0; start < sorted.Length;)
        {
            int end = start + 1;
            while (end < sorted.Length && sorted[end] == sorted[start]) end++;
            double t = end - start;
            term += t * t * t - t;
            start = end;
        }
        return term;
    }
}
