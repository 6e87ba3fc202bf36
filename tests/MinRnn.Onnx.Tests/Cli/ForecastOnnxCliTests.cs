using System.Globalization;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Verify;
using MinRnn.Tasks;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>A forecast run exported and run by ONNX Runtime from the file alone: `forecast --onnx` writes what
/// `forecast --run` writes (forecast, interval and backtest within the ONNX tolerances), and the export passes the
/// verifier and onnx.checker.</summary>
public class ForecastOnnxCliTests
{
    /// <summary>y = sin(2πt/12) + seeded noise, x = t, rows t = 0 … 159.</summary>
    private static string Series(TempFolder tmp)
    {
        var random = new Random(3);
        File.WriteAllLines(tmp["s.csv"], ["t,y,x", .. Enumerable.Range(0, 160).Select(t =>
            string.Create(CultureInfo.InvariantCulture, $"{t},{Math.Sin(2 * Math.PI * t / 12) + 0.1 * (2 * random.NextDouble() - 1):R},{t}"))]);
        return tmp["s.csv"];
    }

    private static double[][] Numbers(string path) =>
        [.. File.ReadAllLines(path).Skip(1).Select(l => l.Split(',').Skip(1).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray())];

    [Theory]
    [InlineData("mingru")]
    [InlineData("lstm")]
    [InlineData("transformer")]
    public void ForecastFromTheOnnxFileEqualsTheRun(string cell)
    {
        using var tmp = new TempFolder();
        var data = Series(tmp);
        var (code, stdout, err) = Minrnn.Run("train", "--model", cell, "--layers", "2", "--dim", "8", "--task", "forecast", "--data", data, "--target", "y",
            "--features", "x", "--time", "t", "--horizon", "4", "--seq-len", "12", "--season", "12", "--steps", "30", "--device", "cpu", "--quiet", "--out", tmp["run"]);
        Assert.True(code == 0, err);
        (code, stdout, err) = Minrnn.Run("export", "--run", tmp["run"], "--out", tmp["m.onnx"], "--verify");
        Assert.True(code == 0, err);
        if (OnnxChecker.Available()) Assert.Contains("onnx.checker (full_check): ok", stdout);
        string[] options = ["--data", data, "--backtest", "10", "--interval", "0.8"];
        (code, _, err) = Minrnn.Run(["forecast", "--run", tmp["run"], "--out", tmp["torch.csv"], "--device", "cpu", .. options]);
        Assert.True(code == 0, err);
        (code, _, err) = Minrnn.Run(["forecast", "--onnx", tmp["m.onnx"], "--out", tmp["onnx.csv"], .. options]);
        Assert.True(code == 0, err);

        Assert.Equal(File.ReadLines(tmp["torch.csv"]).First(), File.ReadLines(tmp["onnx.csv"]).First());
        Assert.Equal(File.ReadAllLines(tmp["torch.csv"]).Select(l => l.Split(',')[1]), File.ReadAllLines(tmp["onnx.csv"]).Select(l => l.Split(',')[1]));   // the times
        var (torch, onnx) = (Numbers(tmp["torch.csv"]), Numbers(tmp["onnx.csv"]));
        Assert.Equal(4, onnx.Length);
        for (var h = 0; h < 4; h++) RelativeError.AssertWithin(onnx[h].AsSpan(1), torch[h].AsSpan(1), 1e-4, 1.0, $"{cell} step {h + 1}: ONNX vs TorchSharp");
        Assert.Equal(File.ReadAllLines(tmp["torch.backtest.csv"]).Select(l => l.Split(',')[0]), File.ReadAllLines(tmp["onnx.backtest.csv"]).Select(l => l.Split(',')[0]));
        var (torchErrors, onnxErrors) = (Numbers(tmp["torch.backtest.csv"]), Numbers(tmp["onnx.backtest.csv"]));
        Assert.Equal(11, onnxErrors.Length);                                                     // 10 origins and "all"
        for (var r = 0; r < onnxErrors.Length; r++) RelativeError.AssertWithin(onnxErrors[r], torchErrors[r], 1e-4, 1.0, $"{cell} backtest row {r + 1}");
    }

    [Fact]
    public void TheOnnxFileCarriesTheForecastTask()
    {
        using var tmp = new TempFolder();
        var data = Series(tmp);
        var (code, _, err) = Minrnn.Run("train", "--model", "gru", "--dim", "8", "--task", "forecast", "--data", data, "--target", "y", "--features", "x",
            "--horizon", "3", "--seq-len", "6", "--season", "12", "--steps", "2", "--device", "cpu", "--quiet", "--out", tmp["run"]);
        Assert.True(code == 0, err);
        (code, _, err) = Minrnn.Run("export", "--run", tmp["run"], "--out", tmp["m.onnx"]);
        Assert.True(code == 0, err);
        using var model = OnnxModel.Load(tmp["m.onnx"]);
        var task = OnnxForecast.TaskOf(model, tmp["m.onnx"]);
        var run = (Forecast)MinRnn.Training.RunFiles.ReadConfig(tmp["run"]).Task;
        Assert.Equal(run with { Data = Path.GetFileName(run.Data) }, task);                      // columns, T, H, season, mean and std
        Assert.Equal("s.csv", task.Data);                                                        // the file's name, not this machine's path
        Assert.Equal(["y", "x"], task.Columns);
        Assert.Equal((3, 6, 12), (task.Horizon, task.SeqLen, task.Season));
        Assert.Equal(3, model.Config.Vocab);

        (code, _, err) = Minrnn.Run("forecast", "--onnx", tmp["m.onnx"], "--data", data, "--out", tmp["f.csv"], "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Contains("--device: applies to --run only", err);
        (code, _, err) = Minrnn.Run("forecast", "--onnx", tmp["none.onnx"], "--data", data, "--out", tmp["f.csv"]);
        Assert.Equal(2, code);
        Assert.Contains("does not exist", err);
        Assert.False(File.Exists(tmp["f.csv"]));
    }
}
