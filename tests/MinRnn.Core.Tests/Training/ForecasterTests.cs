using MinRnn.Tasks;
using MinRnn.Tests.Tasks;
using MinRnn.Training;

namespace MinRnn.Tests.Training;

/// <summary>The forecast command's core with a runtime written here (any function from windows to outputs plugs in): the
/// next values, the backtest's origins and errors, and the interval, against values worked out by hand.</summary>
public class ForecasterTests
{
    [Fact]
    public void BacktestAndIntervalOfAKnownRuntime()
    {
        using var tmp = new TempFolder();
        // y = t for t = 0 … 19, T = 3, H = 2. The runtime forecasts y_o + 2 for both steps: residuals y − ŷ are −1 (h = 1)
        // and 0 (h = 2) at every origin, so MAE = 0.5; the naive forecast y_o is off by 1 and 2, MAE 1.5; MASE's scale (S = 1,
        // the rows before the first backtest target) is 1.
        var task = SeriesFiles.Task(SeriesFiles.Write(tmp, Enumerable.Range(0, 20).Select(t => (double)t)), 3, 2, ("--eval-from", "13"), ("--time", "t"));
        var (mean, std) = (task.FeatureMean![0], task.FeatureStd![0]);
        WindowModel runtime = (windows, count) => [.. Enumerable.Range(0, count).SelectMany(b =>
            Enumerable.Repeat((windows[(b * 3 + 2) * 1] + 2 - mean) / std, 2))];
        var result = Forecaster.Run(task, task.Series(), runtime, backtest: 4, level: 0.9);

        Assert.Equal([21, 21], result.Values.Select(v => Math.Round(v, 4)));
        Assert.Equal(["20", "21"], result.Times!);
        Assert.Equal([14, 15, 16, 17, null], result.Backtest!.Select(b => b.Origin));   // N − H − 4 … N − H − 1, then all
        Assert.All(result.Backtest!, b =>
        {
            Assert.Equal(0.5, b.Model.Mae, 4);
            Assert.Equal(0.5, b.Model.Mase, 4);
            Assert.Equal(1.5, b.Naive.Mae, 12);
            Assert.Null(b.SeasonalNaive);
        });
        Assert.Equal([20, 21], result.Lower!.Select(v => Math.Round(v, 4)));            // ŷ + the constant residual
        Assert.Equal([20, 21], result.Upper!.Select(v => Math.Round(v, 4)));
        Assert.StartsWith("interval:", Assert.Throws<ArgumentException>(() => Forecaster.Run(task, task.Series(), runtime, level: 0.9)).Message);
        Assert.StartsWith("backtest:", Assert.Throws<ArgumentException>(() => Forecaster.Run(task, task.Series(), runtime, backtest: 17)).Message);
        Assert.Equal(16, Forecaster.Run(task, task.Series(), runtime, backtest: 16).Backtest!.Count - 1);   // 20 − 3 − 2 + 1 origins fit
    }
}
