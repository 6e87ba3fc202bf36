namespace MinRnn.Tasks;

/// <summary>The per-feature standardisation of numeric steps, s' = (s − mean) / std, learned from the training rows only
/// (docs/OWN_DATA.md, "Numeric steps") and carried inside the model (SequenceModel.SetStandardisation), so every runtime
/// applies the same one.</summary>
public static class FeatureStandardisation
{
    /// <summary>Mean and population standard deviation (divisor N) of each of the F features over every step of the rows,
    /// in float64 and two passes (mean first, then the squared deviations from it). A feature that is constant over the
    /// rows has std 0 and gets std 1 instead: it then enters as its difference from the mean, not as a division by 0.</summary>
    public static (float[] Mean, float[] Std) Of(IReadOnlyList<LabelledRow> rows, int features)
    {
        var (sum, squares, count) = (new double[features], new double[features], rows.Sum(r => (long)r.Steps));
        foreach (var row in rows)
            for (var i = 0; i < row.Values!.Length; i++) sum[i % features] += row.Values[i];
        if (count == 0) throw new ArgumentException("data: no training steps to learn the standardisation of the features from");
        var mean = sum.Select(s => s / count).ToArray();
        foreach (var row in rows)
            for (var i = 0; i < row.Values!.Length; i++)
            {
                var d = row.Values[i] - mean[i % features];
                squares[i % features] += d * d;
            }
        var std = squares.Select(q => Math.Sqrt(q / count)).Select(s => (float)Math.Min(s, float.MaxValue)).Select(s => s > 0 ? s : 1f).ToArray();
        return ([.. mean.Select(m => (float)m)], std);
    }
}
