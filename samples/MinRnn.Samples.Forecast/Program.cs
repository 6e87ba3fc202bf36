// Forecasting with a MinRnn model as one step of an ML.NET pipeline: a yearly series from a CSV becomes windows of its
// last T rows (a float vector column, the model's input in the series' units), and a forecast model trained and exported
// by `minrnn` (train-model.sh) writes the Forecast column, the next H values — the column name ML.NET's ForecastBySsa
// uses. The last origins whose next H years are known are backtested against the naive forecast (the last value
// repeated); then the H years after the series' end are forecast.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML;

var (modelFile, dataFile, origins) = Args(args);
var info = SequenceModelInfo.Read(modelFile);
int T = int.Parse(info.TaskOptions["seq_len"], CultureInfo.InvariantCulture), H = int.Parse(info.TaskOptions["horizon"], CultureInfo.InvariantCulture);
Console.WriteLine($"model: {Path.GetFileName(modelFile)}, {info.Cell} × {info.Layers}, task {info.Task}, target {info.TaskOptions["target"]}, T = {T}, H = {H}");

// the series: the time in the first column, the target in the second (the model's only input column)
var rows = File.ReadAllLines(dataFile).Skip(1).Select(l => l.Split(','))
    .Select(c => (Time: int.Parse(c[0], CultureInfo.InvariantCulture), Value: float.Parse(c[1], CultureInfo.InvariantCulture))).ToArray();
var values = rows.Select(r => r.Value).ToArray();
// windows ending at each backtest origin (their next H values are known), then the one ending with the series
var ends = Enumerable.Range(values.Length - H - origins + 1, origins).Append(values.Length).ToArray();

var ml = new MLContext(seed: 0);
var windows = ml.Data.LoadFromEnumerable(ends.Select(e => new Window { Values = values[(e - T)..e] }));
using var component = ml.Transforms.ApplySequenceModel(new SequenceModelOptions
{
    ModelFile = modelFile, InputColumnName = nameof(Window.Values),
    PredictionsColumnName = null,   // only the Forecast column
    BatchSize = 8,                  // the windows share ONNX Runtime calls
}).Fit(windows);
var forecasts = component.Transform(windows).GetColumn<float[]>("Forecast").ToArray();

string Show(IEnumerable<float> xs) => string.Join(" ", xs.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)));
var (model, naive) = (0.0, 0.0);
for (var o = 0; o < origins; o++)
{
    var actual = values[ends[o]..(ends[o] + H)];
    model += actual.Zip(forecasts[o]).Average(p => Math.Abs(p.First - p.Second)) / origins;
    naive += actual.Average(a => Math.Abs(a - values[ends[o] - 1])) / origins;
    Console.WriteLine($"after {rows[ends[o] - 1].Time}: forecast {Show(forecasts[o])}; actual {Show(actual)}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backtest over {origins} origins: MAE {model:F2}, naive MAE {naive:F2}"));
Console.WriteLine($"next {H} after {rows[^1].Time}: {Show(forecasts[^1])}");

static (string Model, string Data, int Origins) Args(string[] args)
{
    var here = AppContext.BaseDirectory;
    var parsed = (Model: Path.Combine(here, "models", "gru-sunspots.onnx"), Data: Path.Combine(here, "data", "sunspots.csv"), Origins: 5);
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        parsed = args[i] switch
        {
            "--model" => parsed with { Model = Value() },
            "--data" => parsed with { Data = Value() },
            "--origins" => parsed with { Origins = int.Parse(Value(), CultureInfo.InvariantCulture) },
            _ => throw new ArgumentException($"unknown option {args[i]}; options: --model FILE --data FILE --origins N"),
        };
    }
    return parsed;
}

internal sealed class Window
{
    [VectorType] public float[] Values { get; set; } = [];
}
