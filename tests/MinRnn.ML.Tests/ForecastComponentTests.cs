using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

public sealed class WindowRow { [VectorType] public float[] Window { get; set; } = []; }

/// <summary>A forecast model (y = sin(2πt/12) + noise, feature x = t / 10; T = 12, H = 4) in ML.NET: on a window column
/// (the last T rows of y and x, flattened step by step) the Forecast column equals `minrnn forecast --onnx` and `--run`
/// on series ending where each window ends, row by row and batched; with --predict change the graph reads the window less its
/// last y and adds it back to the forecast.</summary>
public sealed class ForecastComponentTests : IDisposable
{
    private const int T = 12, H = 4;
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>(y, x) of rows 0 … 159, as floats so the CSV holds exactly the window column's values.</summary>
    private static (float Y, float X)[] Series()
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, 160).Select(t => ((float)(Math.Sin(2 * Math.PI * t / 12) + 0.1 * (2 * random.NextDouble() - 1)), t / 10f))];
    }

    private string Csv(string name, IEnumerable<(float Y, float X)> rows)
    {
        File.WriteAllLines(folder[name], ["y,x", .. rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Y:R},{r.X:R}"))]);
        return folder[name];
    }

    private static void Cli(params string[] args)
    {
        var (code, output) = SampleTests.Minrnn(args);
        Assert.True(code == 0, $"minrnn {args[0]}: {output}");
    }

    /// <summary>forecast.csv's value column (step,value).</summary>
    private static double[] Values(string path) =>
        [.. File.ReadAllLines(path).Skip(1).Select(l => double.Parse(l.Split(',')[^1], CultureInfo.InvariantCulture))];

    [Theory]
    [InlineData("level")]
    [InlineData("change")]
    public void ForecastColumnEqualsMinrnnForecastOnnxAndRunRowByRowAndBatched(string predict)
    {
        var series = Series();
        var data = Csv("series.csv", series);
        var (run, onnx) = (folder["run"], folder["model.onnx"]);
        Cli("train", "--model", "mingru", "--layers", "1", "--dim", "8", "--task", "forecast", "--data", data, "--target", "y", "--features", "x",
            "--horizon", $"{H}", "--seq-len", $"{T}", "--predict", predict, "--steps", "30", "--device", "cpu", "--seed", "0", "--quiet", "--out", run);
        Cli("export", "--run", run, "--out", onnx);

        int[] ends = [40, 97, 160];   // each window is the T rows before its end
        var windows = ends.Select(e => series[(e - T)..e].SelectMany(r => new[] { r.Y, r.X }).ToArray()).ToArray();
        var (ort, torch) = (new double[ends.Length][], new double[ends.Length][]);
        for (var w = 0; w < ends.Length; w++)
        {
            var prefix = Csv($"series-{ends[w]}.csv", series[..ends[w]]);
            Cli("forecast", "--onnx", onnx, "--data", prefix, "--out", folder[$"onnx-{w}.csv"]);
            Cli("forecast", "--run", run, "--data", prefix, "--out", folder[$"run-{w}.csv"], "--device", "cpu");
            (ort[w], torch[w]) = (Values(folder[$"onnx-{w}.csv"]), Values(folder[$"run-{w}.csv"]));
            Assert.Equal(H, ort[w].Length);
        }

        foreach (var batchSize in new[] { 1, 2 })
        {
            var ml = new MLContext(seed: 0);
            var rows = ml.Data.LoadFromEnumerable(windows.Select(v => new WindowRow { Window = v }));
            using var component = ml.Transforms.ApplySequenceModel(new SequenceModelOptions
            {
                ModelFile = onnx, InputColumnName = "Window", PredictionsColumnName = null, BatchSize = batchSize,
            }).Fit(rows);
            var output = component.Transform(rows);
            Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, H), output.Schema["Forecast"].Type);
            Assert.Null(output.Schema.GetColumnOrNull("LowerBound"));
            var forecasts = output.GetColumn<float[]>("Forecast").ToArray();
            for (var w = 0; w < ends.Length; w++)
            {
                var values = forecasts[w].Select(x => (double)x).ToArray();
                RelativeError.AssertWithin(values, ort[w], 1e-5, 1.0, $"batch {batchSize} window {w}: vs forecast --onnx");
                RelativeError.AssertWithin(values, torch[w], 1e-4, 1.0, $"batch {batchSize} window {w}: vs forecast --run");
            }
            Assert.True(forecasts.Select(f => f[0]).Distinct().Count() == ends.Length, "the windows' forecasts should differ");
        }
    }
}
