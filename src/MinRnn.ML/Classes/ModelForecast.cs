using System.Globalization;
using System.Text.Json;

namespace MinRnn.ML.Classes;

/// <summary>What a <c>forecast</c> model's metadata says about its head (docs/FORECAST.md, "The forecast command"): H, the
/// values the last step's outputs hold (<c>task_options.horizon</c>), and the target's standardisation, the first entries
/// of <c>feature_mean</c> and <c>feature_std</c>, which turn an output into the target's units: ŷ = output · std + mean, and
/// whether the model forecasts changes from the window's last target value y_o (<c>task_options.predict</c> = change: the
/// window is read less y_o and ŷ = y_o + output · std + mean).
/// The model holds no intervals: <c>minrnn forecast --interval</c> computes them from a backtest's residuals.</summary>
internal sealed record ModelForecast(int Horizon, float Mean, float Std, bool Change = false)
{
    public const string ForecastTask = "forecast";

    /// <summary>The forecast head of a forecast model; null for every other task.</summary>
    public static ModelForecast? Of(SequenceModelInfo info)
    {
        if (info.Task != ForecastTask) return null;
        string Option(string key) => info.TaskOptions.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"MinRnn: the forecast model has no task option '{key}'");
        float First(string key)
        {
            try
            {
                var values = JsonSerializer.Deserialize<float[]>(Option(key)) ?? [];
                return values.Length > 0 && float.IsFinite(values[0]) ? values[0]
                    : throw new InvalidDataException($"MinRnn: task option '{key}' has no finite first value ('{Option(key)}')");
            }
            catch (JsonException e) { throw new InvalidDataException($"MinRnn: task option '{key}' is not a JSON list of numbers ('{Option(key)}')", e); }
        }
        var horizon = int.TryParse(Option("horizon"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h >= 1 ? h
            : throw new InvalidDataException($"MinRnn: task option 'horizon' is '{Option("horizon")}', not a count of steps");
        if (horizon != info.Vocab)
            throw new InvalidDataException($"MinRnn: the forecast model's horizon {horizon} is not its output width {info.Vocab}");
        var predict = info.TaskOptions.GetValueOrDefault("predict", "level");   // files before --predict forecast levels
        if (predict is not ("level" or "change"))
            throw new InvalidDataException($"MinRnn: task option 'predict' is '{predict}', not level or change");
        var std = First("feature_std");
        return std > 0 ? new ModelForecast(horizon, First("feature_mean"), std, predict == "change")
            : throw new InvalidDataException($"MinRnn: task option 'feature_std' starts with {std}; a standard deviation is above 0");
    }
}
