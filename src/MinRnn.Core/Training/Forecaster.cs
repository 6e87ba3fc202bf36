using System.Globalization;
using System.Text;
using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Training;

/// <summary>A runtime of a forecast model: the windows (B, T, F) float32 row-major in the series' units → the model's H
/// outputs at each window's last step (B × H, row-major) in the target's standardised units. TorchSharp gives one
/// (<see cref="Forecaster.Torch"/>); any other runtime that maps windows to outputs plugs in the same way.</summary>
public delegate float[] WindowModel(float[] windows, int count);

/// <summary>The errors of one backtest origin (the 0-based row of its last input), or of all origins together (Origin null).</summary>
public sealed record BacktestErrors(int? Origin, ForecastErrors Model, ForecastErrors Naive, ForecastErrors? SeasonalNaive);

/// <summary>The next H values after the last row (Values, in the target's units; Times when the time column is evenly spaced),
/// and with a backtest its errors and, with an interval, Lower/Upper: ŷ_h plus the (1 − level)/2 and (1 + level)/2 quantiles
/// of step h's backtest residuals y − ŷ.</summary>
public sealed record ForecastResult(double[] Values, string[]? Times, IReadOnlyList<BacktestErrors>? Backtest, double? Level, double[]? Lower, double[]? Upper);

/// <summary>`minrnn forecast`: a trained forecast model run on a series (docs/FORECAST.md, "The forecast command").</summary>
public static class Forecaster
{
    /// <summary>The TorchSharp runtime of a checkpoint's model.</summary>
    public static WindowModel Torch(SequenceModel model) => (windows, count) =>
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (device, features) = (model.parameters().First().device, model.Config.Features!.Value);
        var inputs = tensor(windows, [count, windows.Length / count / features, features], float32).to(device);
        return Evaluator.LastStep(model.Logits(inputs)).cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    };

    /// <summary>The forecast after the series' last row; `backtest` origins (0: none) end at the series' end, one row apart:
    /// the last is N − 1 − H, so every backtest target is a known row. ArgumentExceptions name the option.</summary>
    public static ForecastResult Run(Forecast task, SeriesTable series, WindowModel model, int backtest = 0, double? level = null)
    {
        var (n, t, h) = (series.Rows, task.SeqLen, task.Horizon);
        if (n < t) throw new ArgumentException($"data: {series.Path} has {n} rows, fewer than the model's window of T = {t}");
        if (level is not null && backtest == 0) throw new ArgumentException("interval: needs --backtest N (the bounds are quantiles of the backtest's residuals)");
        if (level is { } l && !(l > 0 && l < 1)) throw new ArgumentException($"interval: {l.ToString(CultureInfo.InvariantCulture)} is not a level between 0 and 1");
        if (backtest < 0 || backtest > n - t - h + 1)
            throw new ArgumentException($"backtest: {backtest} origins need T + H + {Math.Max(backtest, 1) - 1} = {t + h + Math.Max(backtest, 1) - 1} rows, {series.Path} has {n}");
        var next = Predict(task, series, model, [n - 1])[0];
        if (backtest == 0) return new ForecastResult(next, series.NextTimes(h), null, null, null, null);

        var y = series.Columns[0];
        var origins = Enumerable.Range(n - h - backtest, backtest).ToArray();
        var season = task.Season > 0 ? task.Season : 1;
        if (season >= origins[0] + 1) throw new ArgumentException($"season: {season} is not smaller than the {origins[0] + 1} rows before the first backtest target");
        var scale = NaiveForecasts.Scale(y, origins[0] + 1, season);     // in-sample: the rows before the first backtest target
        var predicted = Predict(task, series, model, origins);
        var actual = origins.Select(o => Enumerable.Range(o + 1, h).Select(r => y[r]).ToArray()).ToArray();
        BacktestErrors Errors(int? origin, IReadOnlyList<int> which) => new(origin,
            ForecastErrors.Of([.. which.SelectMany(i => actual[i])], [.. which.SelectMany(i => predicted[i])], scale),
            ForecastErrors.Of([.. which.SelectMany(i => actual[i])], [.. which.SelectMany(i => NaiveForecasts.Naive(y, origins[i], h))], scale),
            task.Season > 0 ? ForecastErrors.Of([.. which.SelectMany(i => actual[i])], [.. which.SelectMany(i => NaiveForecasts.Seasonal(y, origins[i], h, task.Season))], scale) : null);
        var errors = origins.Select((o, i) => Errors(o, [i])).Append(Errors(null, [.. Enumerable.Range(0, backtest)])).ToList();
        if (level is not { } p) return new ForecastResult(next, series.NextTimes(h), errors, null, null, null);
        var (lower, upper) = (new double[h], new double[h]);
        for (var k = 0; k < h; k++)
        {
            var residuals = Enumerable.Range(0, backtest).Select(i => actual[i][k] - predicted[i][k]).Order().ToArray();
            (lower[k], upper[k]) = (next[k] + Quantile(residuals, (1 - p) / 2), next[k] + Quantile(residuals, (1 + p) / 2));
        }
        return new ForecastResult(next, series.NextTimes(h), errors, p, lower, upper);
    }

    /// <summary>The model's forecasts (target units) from windows ending at the origins.</summary>
    public static double[][] Predict(Forecast task, SeriesTable series, WindowModel model, IReadOnlyList<int> origins)
    {
        using var inputs = task.Inputs(series, origins);
        var outputs = model(inputs.data<float>().ToArray(), origins.Count);
        return [.. origins.Select((o, b) => outputs.AsSpan(b * task.Horizon, task.Horizon).ToArray().Select(v => task.Destandardise(v, series.Columns[0], o)).ToArray())];
    }

    /// <summary>The p-quantile of sorted values, linear between order statistics at position p · (n − 1) (Hyndman and Fan's
    /// definition 7, NumPy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var (below, fraction) = ((int)Math.Floor(position), position - Math.Floor(position));
        return below + 1 < sorted.Count ? sorted[below] + fraction * (sorted[below + 1] - sorted[below]) : sorted[below];
    }

    /// <summary>forecast.csv: step (1 … H), the time column's next value when it is evenly spaced, value, and with an interval
    /// lower and upper.</summary>
    public static string Csv(ForecastResult r)
    {
        var text = new StringBuilder($"step{(r.Times is null ? "" : ",time")},value{(r.Lower is null ? "" : ",lower,upper")}\n");
        for (var k = 0; k < r.Values.Length; k++)
            text.Append(CultureInfo.InvariantCulture, $"{k + 1}{(r.Times is null ? "" : "," + r.Times[k])},{Number(r.Values[k])}")
                .Append(r.Lower is null ? "" : $",{Number(r.Lower[k])},{Number(r.Upper![k])}").Append('\n');
        return text.ToString();
    }

    /// <summary>The backtest file: one row an origin (its last input row, 0-based) and a last row "all" over every origin;
    /// MAE, RMSE, sMAPE, MASE of the model, the naive and (with a season) the seasonal naive forecast.</summary>
    public static string BacktestCsv(IReadOnlyList<BacktestErrors> rows)
    {
        var seasonal = rows[0].SeasonalNaive is not null;
        string[] prefixes = seasonal ? ["", "naive_", "seasonal_naive_"] : ["", "naive_"];
        var text = new StringBuilder("origin," + string.Join(",", prefixes.SelectMany(p => ForecastErrors.Names.Select(m => p + m))) + "\n");
        foreach (var row in rows)
        {
            var errors = seasonal ? new[] { row.Model, row.Naive, row.SeasonalNaive!.Value } : [row.Model, row.Naive];
            text.Append(row.Origin?.ToString(CultureInfo.InvariantCulture) ?? "all").Append(',')
                .Append(string.Join(",", errors.SelectMany(e => e.Named("")).Select(e => Number(e.Value)))).Append('\n');
        }
        return text.ToString();
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
