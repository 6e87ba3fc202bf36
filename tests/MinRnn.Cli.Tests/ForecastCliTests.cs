using System.Globalization;
using MinRnn.Tasks;
using MinRnn.Tests.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cli;

/// <summary>`train --task forecast` then `forecast` as a user runs them, and bad input: one line, exit code 2, nothing written.</summary>
public class ForecastCliTests
{
    [Fact]
    public void ForecastWritesTheModelsOutputOnTheLastWindowWithBacktestAndInterval()
    {
        using var tmp = new TempFolder();
        var data = SeriesFiles.Write(tmp, SeriesFiles.Sine(200, noise: 0.1));
        var (code, _, err) = MinrnnProcess.Run("train", "--model", "mingru", "--dim", "8", "--task", "forecast", "--data", data, "--target", "y",
            "--features", "x", "--time", "t", "--horizon", "3", "--seq-len", "12", "--season", "12", "--steps", "20", "--device", "cpu", "--out", tmp["run"]);
        Assert.True(code == 0, err);
        (code, _, err) = MinrnnProcess.Run("forecast", "--run", tmp["run"], "--data", data, "--out", tmp["f.csv"], "--backtest", "8", "--interval", "0.8", "--device", "cpu");
        Assert.True(code == 0, err);

        var task = (Forecast)RunFiles.ReadConfig(tmp["run"]).Task;
        using var model = Checkpoint.LoadModel(tmp["run"], CPU);
        var rows = File.ReadAllLines(data).Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var window = rows[^12..].SelectMany(r => new[] { (float)r[1], (float)r[2] }).ToArray();      // y, x of the last T rows
        using var noGrad = no_grad();
        using var logits = model.Logits(tensor(window, [1, 12, 2]));
        var expected = logits[0, 11].to_type(float64).data<double>().ToArray().Select(o => o * task.FeatureStd![0] + task.FeatureMean![0]).ToArray();
        var lines = File.ReadAllLines(tmp["f.csv"]);
        Assert.Equal("step,time,value,lower,upper", lines[0]);
        Assert.Equal(4, lines.Length);
        for (var h = 0; h < 3; h++)
        {
            var cells = lines[h + 1].Split(',').ToArray();
            Assert.Equal([$"{h + 1}", $"{200 + h}"], cells[..2]);
            var value = double.Parse(cells[2], CultureInfo.InvariantCulture);
            Assert.Equal(expected[h], value, 5);
            Assert.True(double.Parse(cells[3], CultureInfo.InvariantCulture) <= double.Parse(cells[4], CultureInfo.InvariantCulture));
        }
        var backtest = File.ReadAllLines(tmp["f.backtest.csv"]);
        Assert.Equal(1 + 8 + 1, backtest.Length);
        Assert.StartsWith("origin,mae,rmse,smape,mase,naive_mae", backtest[0]);
        Assert.Contains("seasonal_naive_mase", backtest[0]);
        // origins N − H − 8 … N − H − 1 = 189 … 196: the last one's targets are rows 197 … 199, the series' last
        Assert.Equal(["189", "196", "all"], new[] { backtest[1], backtest[8], backtest[9] }.Select(l => l.Split(',')[0]));
    }

    /// <summary>name, series lines, extra train options, words the error line must hold. The good series has 40 rows; with
    /// --eval-from 31 the training part is rows 1 … 30 and T + H = 4 + 2.</summary>
    public static TheoryData<string, string[], string[], string[]> Cases()
    {
        var good = new[] { "t,y,x" }.Concat(Enumerable.Range(0, 40).Select(t => $"{t},{t % 5},{t}")).ToArray();
        string[] With(int line, string text) => [.. good.Select((l, i) => i == line - 1 ? text : l)];
        return new()
        {
            { "missing-column", good, ["--target", "z"], ["--target:", "no column 'z'"] },
            { "missing-feature", good, ["--features", "w"], ["--features:", "no column 'w'"] },
            { "not-a-number", With(5, "3,abc,3"), [], ["line 5", "'abc' is not a finite number"] },
            { "shorter-than-window", good[..6], [], ["5 rows, fewer than T + H = 4 + 2 = 6"] },
            { "horizon-below-one", good, ["--horizon", "0"], ["--horizon: must be ≥ 1"] },
            { "time-out-of-order", With(6, "2,1,2"), ["--time", "t"], ["--time:", "line 6", "time order"] },
            { "nan-without-fill", With(7, "5,NaN,5"), [], ["line 7", "--fill previous"] },
            { "season-beyond-training", good, ["--season", "30"], ["--season: 30 is not smaller than the training part's 30 rows"] },
            { "predict-unknown", good, ["--predict", "delta"], ["--predict: 'delta' is not one of level|change"] },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadSeriesIsOneLineExitTwoAndNoRun(string name, string[] lines, string[] options, string[] words)
    {
        using var tmp = new TempFolder();
        File.WriteAllLines(tmp["s.csv"], lines);
        string[] defaults = [.. options.Contains("--target") ? [] : new[] { "--target", "y" }, .. options.Contains("--horizon") ? [] : new[] { "--horizon", "2" }];
        var (code, _, err) = MinrnnProcess.Run(["train", "--model", "gru", "--task", "forecast", "--data", tmp["s.csv"], "--seq-len", "4",
            "--eval-from", "31", "--steps", "1", "--device", "cpu", "--out", tmp["run"], .. defaults, .. options]);
        Assert.True(code == 2, $"{name}: exit {code}, {err}");
        Assert.Single(err.Trim().Split('\n'));
        Assert.All(words, w => Assert.Contains(w, err));
        Assert.False(Directory.Exists(tmp["run"]), $"{name}: a run folder was created");
    }

    [Fact]
    public void IntervalWithoutBacktestIsOneLineAndWritesNothing()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = MinrnnProcess.Run("forecast", "--run", tmp["run"], "--data", tmp["s.csv"], "--out", tmp["f.csv"], "--interval", "0.9");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("--interval: needs --backtest", err);
        Assert.False(File.Exists(tmp["f.csv"]));
    }
}
