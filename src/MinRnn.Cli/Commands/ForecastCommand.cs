using System.Globalization;
using MinRnn.Onnx.Runtime;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn forecast: a forecast run's next H values after the last row of a series, with an optional backtest and
/// intervals from its residuals (docs/FORECAST.md).</summary>
public static class ForecastCommand
{
    public const string Usage = """
        minrnn forecast --run DIR | --onnx FILE --data series.csv --out forecast.csv [--backtest N] [--interval LEVEL]
                        [--device auto|cpu|cuda] [--threads N]
            --onnx FILE:  an exported forecast run (minrnn export), run by ONNX Runtime on the CPU; its metadata holds the
                          task (columns, T, H, season, standardisation), so the file alone forecasts
            series.csv:   the run's columns (target, features, time) by name; its last T rows are the window
            forecast.csv: step,value (1 … H after the last row); step,time,value when the run's time column is evenly
                          spaced (the time column's next values); with --interval also lower,upper
            --backtest N  N rolling origins one row apart at the series' end (the last one's targets are its last H rows):
                          MAE, RMSE, sMAPE, MASE per origin and over all (origin "all") for the model, the naive and
                          (with the run's --season) the seasonal naive forecast, written to forecast.backtest.csv beside --out
            --interval L  bounds at level L (e.g. 0.9): the forecast plus the (1 − L)/2 and (1 + L)/2 quantiles of each
                          step's backtest residuals y − ŷ (needs --backtest); not a model of the noise
            every file is written only when all succeed
        """;

    public static readonly OptionSet Options = new(["--run", "--onnx", "--data", "--out", "--backtest", "--interval", "--device", "--threads"], []);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var (runDir, onnxPath) = (args.String("--run"), args.String("--onnx"));
        if ((runDir is null) == (onnxPath is null)) throw new UsageException("give exactly one of --run DIR or --onnx FILE");
        if (onnxPath is not null && args.Has("--device")) throw new UsageException("--device: applies to --run only (--onnx runs on the CPU)");
        var (data, outPath) = (args.Required("--data"), args.Required("--out"));
        var backtest = args.Int("--backtest", 0, 1);
        double? level = args.Has("--interval") ? args.Double("--interval", 0, 0, exclusiveMin: true) : null;
        if (level is not null && !args.Has("--backtest"))
            throw new UsageException("--interval: needs --backtest N (the bounds are quantiles of the backtest's residuals)");
        if (onnxPath is not null && !File.Exists(onnxPath)) throw new UsageException($"--onnx: {onnxPath} does not exist");
        var (result, series, task, described) = onnxPath is not null ? WithOnnx(args, onnxPath, data, backtest, level) : WithRun(args, runDir!, data, backtest, level);
        var backtestPath = BacktestPath(outPath);
        RunFiles.WriteAtomic(outPath, Forecaster.Csv(result));
        if (result.Backtest is { } errors) RunFiles.WriteAtomic(backtestPath, Forecaster.BacktestCsv(errors));
        var all = result.Backtest?[^1];
        Console.WriteLine($"{described}: H = {task.Horizon} after row {series.Rows} of {data} → {outPath}" +
                          (all is null ? "" : string.Create(CultureInfo.InvariantCulture,
                              $"; backtest of {backtest} origins: mae {all.Model.Mae:G4} (naive {all.Naive.Mae:G4}), mase {all.Model.Mase:G4} → {backtestPath}")) +
                          (level is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; lower/upper: {level:G3} backtest residual quantiles")));
        return 0;
    }

    private static (ForecastResult, SeriesTable, Forecast, string) WithRun(Args args, string runDir, string data, int backtest, double? level)
    {
        var config = Common.ReadRun(runDir);
        var task = config.Task as Forecast
            ?? throw new UsageException($"--run: {runDir} was trained on {config.Task.Name}, not {Forecast.TaskName}");
        Common.ApplyThreads(args);
        var device = Devices.Resolve(args.Choice("--device", "auto", ["auto", "cpu", "cuda"]));
        return Checked(() =>
        {
            var table = task.SeriesOf(data);
            using var model = Checkpoint.LoadModel(runDir, device);
            return (Forecaster.Run(task, table, Forecaster.Torch(model), backtest, level), table, task, $"{config.Model.Cell} × {config.Model.Layers}");
        });
    }

    private static (ForecastResult, SeriesTable, Forecast, string) WithOnnx(Args args, string onnxPath, string data, int backtest, double? level)
    {
        using var model = OnnxModel.Load(onnxPath, threads: args.Int("--threads", 0, 0, 1024));
        return Checked(() =>
        {
            var task = OnnxForecast.TaskOf(model, onnxPath);
            var table = task.SeriesOf(data);
            return (Forecaster.Run(task, table, OnnxForecast.Windows(model), backtest, level), table, task,
                $"{model.Config.Cell} × {model.Config.Layers} (ONNX Runtime)");
        });
    }

    /// <summary>forecast.csv → forecast.backtest.csv in the same folder.</summary>
    public static string BacktestPath(string outPath) =>
        Path.Combine(Path.GetDirectoryName(outPath) ?? "", Path.GetFileNameWithoutExtension(outPath) + ".backtest.csv");

    private static T Checked<T>(Func<T> run)
    {
        try { return run(); }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message.StartsWith("backtest:", StringComparison.Ordinal) || e.Message.StartsWith("interval:", StringComparison.Ordinal)
                ? "--" + e.Message : TaskArgs.OptionName(e.Message));
        }
    }
}
