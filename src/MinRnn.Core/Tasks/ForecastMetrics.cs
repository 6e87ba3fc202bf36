namespace MinRnn.Tasks;

/// <summary>Point-forecast errors over n = windows × H values, in the target's original units (docs/FORECAST.md, "Metrics";
/// Hyndman and Koehler, "Another look at measures of forecast accuracy", 2006):
/// MAE = 1/n Σ |y − ŷ|; RMSE = √(1/n Σ (y − ŷ)²); sMAPE = 200/n Σ |y − ŷ| / (|y| + |ŷ|), a term with y = ŷ = 0 counting 0;
/// MASE = MAE / s, with s the in-sample MAE of the seasonal naive forecast, 1/(m − S) Σ_{t=S}^{m−1} |y_t − y_{t−S}| over the
/// training part's m rows (S = 1, the naive forecast, without a season).</summary>
public readonly record struct ForecastErrors(double Mae, double Rmse, double Smape, double Mase)
{
    public static ForecastErrors Of(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, double scale)
    {
        if (actual.Count != predicted.Count || actual.Count == 0) throw new ArgumentException($"errors: {actual.Count} actual and {predicted.Count} predicted values");
        double absolute = 0, squared = 0, symmetric = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var e = Math.Abs(actual[i] - predicted[i]);
            var size = Math.Abs(actual[i]) + Math.Abs(predicted[i]);
            (absolute, squared, symmetric) = (absolute + e, squared + e * e, symmetric + (size > 0 ? e / size : 0));
        }
        var n = actual.Count;
        return new ForecastErrors(absolute / n, Math.Sqrt(squared / n), 200 * symmetric / n, absolute / n / scale);
    }

    /// <summary>The four by their JSON names with a prefix ("" for the model, "naive_", "seasonal_naive_").</summary>
    public IEnumerable<(string Name, double Value)> Named(string prefix) =>
        [(prefix + "mae", Mae), (prefix + "rmse", Rmse), (prefix + "smape", Smape), (prefix + "mase", Mase)];

    public static readonly string[] Names = ["mae", "rmse", "smape", "mase"];
}

/// <summary>The two reference forecasts every forecast is read against, on the same windows, and MASE's scale.</summary>
public static class NaiveForecasts
{
    /// <summary>The naive forecast from origin o: the last observed value y_o, for every step ahead.</summary>
    public static double[] Naive(IReadOnlyList<double> y, int origin, int horizon) => [.. Enumerable.Repeat(y[origin], horizon)];

    /// <summary>The seasonal naive forecast from origin o with season S: step h takes the value one season before it,
    /// y_{o + h − S·⌈h/S⌉}, the latest observed row of the same phase (for h ≤ S: y_{o+h−S}).</summary>
    public static double[] Seasonal(IReadOnlyList<double> y, int origin, int horizon, int season)
    {
        if (origin + 1 < season) throw new ArgumentException($"season: {season} is longer than the {origin + 1} rows observed at row {origin}");
        return [.. Enumerable.Range(1, horizon).Select(h => y[origin + h - season * ((h + season - 1) / season)])];
    }

    /// <summary>MASE's scale: the mean |y_t − y_{t−S}| over t = S … m − 1 of the first m rows (S = 1: the naive forecast's).
    /// ArgumentException when S ≥ m; a constant part has scale 0, and MASE is then infinite (written as such).</summary>
    public static double Scale(IReadOnlyList<double> y, int rows, int season)
    {
        if (season < 1 || season >= rows) throw new ArgumentException($"season: {season} must be ≥ 1 and smaller than the training part's {rows} rows");
        double sum = 0;
        for (var t = season; t < rows; t++) sum += Math.Abs(y[t] - y[t - season]);
        return sum / (rows - season);
    }
}
