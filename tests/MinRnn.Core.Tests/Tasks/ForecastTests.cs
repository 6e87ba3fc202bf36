using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tests.Tasks;

/// <summary>The forecast task's split, batches and metrics, against numbers worked out by hand in the comments.</summary>
public class ForecastTests
{
    [Fact]
    public void WindowsLieOnOneSideOfTheCutAndNoEvaluationRowIsATrainingTarget()
    {
        // N = 20, T = 3, H = 2. Default cut: the last ⌈20/10⌉ = 2 rows → C = 18; --eval-from 13 → C = 12.
        Assert.Equal(18, ForecastWindows.CutOf(20, 0));
        Assert.Equal(12, ForecastWindows.CutOf(20, 13));
        var w = new ForecastWindows(20, 12, 3, 2);
        // training origins o with o − 2 ≥ 0 and o + 2 ≤ 11: 2 … 9; evaluation: o − 2 ≥ 12 and o + 2 ≤ 19: 14 … 17
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9], w.Training);
        Assert.Equal([14, 15, 16, 17], w.Evaluation);
        Assert.Equal([14, 17], w.EvaluationSample(2));
        var trainingTargets = w.Training.SelectMany(o => Enumerable.Range(o + 1, 2)).ToHashSet();
        foreach (var n in new[] { 20, 37, 100 })
            foreach (var cut in new[] { 8, n / 2, n - 7 })
            {
                var windows = new ForecastWindows(n, cut, 3, 4);
                var targets = windows.Training.SelectMany(o => Enumerable.Range(o + 1, 4)).ToHashSet();
                Assert.All(windows.Evaluation, o => Assert.DoesNotContain(Enumerable.Range(o - 2, 3 + 4), targets.Contains));
                Assert.All(windows.Training.Concat(windows.Evaluation), o => Assert.InRange(o, 2, n - 1 - 4));
            }
        Assert.DoesNotContain(12, trainingTargets);
        Assert.Contains(11, trainingTargets);
    }

    [Fact]
    public void ErrorsMatchHandComputedValues()
    {
        // y = 2, 4, 6; ŷ = 3, 3, 8: |e| = 1, 1, 2. MAE = 4/3; RMSE = √(6/3) = √2;
        // sMAPE = 200/3 (1/5 + 1/7 + 2/14) = 200/3 · 17/35 = 32.380952…; with scale 2, MASE = (4/3)/2 = 2/3
        var e = ForecastErrors.Of([2, 4, 6], [3, 3, 8], 2);
        Assert.Equal(4.0 / 3, e.Mae, 12);
        Assert.Equal(Math.Sqrt(2), e.Rmse, 12);
        Assert.Equal(200.0 / 3 * 17 / 35, e.Smape, 12);
        Assert.Equal(2.0 / 3, e.Mase, 12);
        Assert.Equal(0, ForecastErrors.Of([0], [0], 1).Smape);                 // 0/0 counts 0
        // scale of 1, 3, 2, 5 (S = 1): (|3 − 1| + |2 − 3| + |5 − 2|)/3 = 2; of 1, 3, 2, 5, 4 (S = 2): (1 + 2 + 2)/3 = 5/3
        Assert.Equal(2, NaiveForecasts.Scale([1, 3, 2, 5], 4, 1), 12);
        Assert.Equal(5.0 / 3, NaiveForecasts.Scale([1, 3, 2, 5, 4], 5, 2), 12);
        Assert.Equal(2, NaiveForecasts.Scale([1, 3, 2, 5, 100], 4, 1), 12);    // only the first m rows count
        Assert.StartsWith("season:", Assert.Throws<ArgumentException>(() => NaiveForecasts.Scale([1, 2, 3], 3, 3)).Message);
    }

    [Fact]
    public void NaiveForecastsRepeatTheLastValueAndTheLastSeason()
    {
        double[] y = [10, 11, 12, 13, 14, 15];
        Assert.Equal([14, 14, 14], NaiveForecasts.Naive(y, 4, 3));
        // origin 4, S = 3: h = 1 → y[2], h = 2 → y[3], h = 3 → y[4], h = 4 → y[4 + 4 − 6] = y[2]
        Assert.Equal([12, 13, 14, 12], NaiveForecasts.Seasonal(y, 4, 4, 3));
    }

    [Fact]
    public void QuantilesInterpolateBetweenOrderStatistics()
    {
        // NumPy: np.quantile([1, 2, 3, 4], [0.5, 0.05, 1]) = [2.5, 1.15, 4]
        Assert.Equal(2.5, Forecaster.Quantile([1, 2, 3, 4], 0.5), 12);
        Assert.Equal(1.15, Forecaster.Quantile([1, 2, 3, 4], 0.05), 12);
        Assert.Equal(4, Forecaster.Quantile([1, 2, 3, 4], 1), 12);
    }

    [Fact]
    public void BatchesHoldTheWindowsRowsAndStandardisedTargetsAndMetricsReadTheOutputs()
    {
        using var tmp = new TempFolder();
        // y = 0, 1, …, 19 (x = t as well); --eval-from 13 → training part rows 0 … 11: mean 5.5, population std √((144 − 1)/12)
        var path = SeriesFiles.Write(tmp, Enumerable.Range(0, 20).Select(t => (double)t));
        var task = SeriesFiles.Task(path, 3, 2, ("--eval-from", "13"), ("--features", "x"));
        Assert.Equal(5.5f, task.FeatureMean![0]);
        Assert.Equal((float)Math.Sqrt(143.0 / 12), task.FeatureStd![0], 5);
        Assert.Equal(2, task.InputFeatures);
        using var eval = task.Sample(100, 0, TaskSplit.Evaluation);           // origins 14 … 17
        Assert.Equal(new long[] { 4, 3, 2 }, eval.Inputs.shape);
        Assert.Equal([12f, 12f, 13f, 13f, 14f, 14f], eval.Inputs[0].data<float>().ToArray());
        Assert.Equal((15 - 5.5) / Math.Sqrt(143.0 / 12), eval.Targets[0, 0].item<float>(), 5);
        Assert.Equal(new long[] { 4, 2 }, eval.Targets.shape);
        using var train = task.Sample(64, 7, TaskSplit.Train);
        var last = train.Inputs.select(1, -1).select(1, 0).data<float>().ToArray();
        Assert.All(last, o => Assert.InRange(o, 2, 9));                     // training origins 2 … 9

        // outputs that forecast every target 1 too high: MAE = RMSE = 1, naive (y_o repeated: off by 1 and 2) MAE = 1.5;
        // MASE scale on rows 0 … 11 of y = t is 1, so MASE = MAE
        var std = task.FeatureStd[0];
        var outputs = new[] { 14, 15, 15, 16, 16, 17, 17, 18 }.Select(o => (float)((o + 2 - 5.5) / std)).ToArray();
        var measured = task.Measure(new Evaluation(0, double.NaN, double.NaN, null, outputs));
        Assert.Equal(4, measured["windows"]!.GetValue<int>());
        Assert.Equal(1, measured["mae"]!.GetValue<double>(), 4);
        Assert.Equal(1, measured["mase"]!.GetValue<double>(), 4);
        Assert.Equal(1.5, measured["naive_mae"]!.GetValue<double>(), 12);
        Assert.Null(measured["seasonal_naive_mae"]);                         // no --season
    }

    [Fact]
    public void ChangeModeReadsTheWindowFromItsLastValueAndForecastsChanges()
    {
        using var tmp = new TempFolder();
        // y = t for t = 0 … 19, T = 3, H = 2, --eval-from 13: training origins 2 … 9. Each training window's rows o − 2 … o + 2
        // less y_o are −2, −1, 0, 1, 2: mean 0, population std √((4 + 1 + 0 + 1 + 4)/5) = √2. x keeps its level standardisation.
        var task = SeriesFiles.Task(SeriesFiles.Write(tmp, Enumerable.Range(0, 20).Select(t => (double)t)), 3, 2,
            ("--eval-from", "13"), ("--features", "x"), ("--predict", "change"));
        Assert.Equal((0f, (float)Math.Sqrt(2)), (task.FeatureMean![0], task.FeatureStd![0]));
        Assert.Equal(5.5f, task.FeatureMean[1]);
        using var eval = task.Sample(100, 0, TaskSplit.Evaluation);              // origins 14 … 17
        Assert.Equal([-2f, 12f, -1f, 13f, 0f, 14f], eval.Inputs[0].data<float>().ToArray());   // y less y_14 = 14; x as it is
        Assert.Equal(1 / Math.Sqrt(2), eval.Targets[0, 0].item<float>(), 6);                     // (y_15 − y_14 − 0)/√2
        Assert.Equal(2 / Math.Sqrt(2), eval.Targets[0, 1].item<float>(), 6);

        // the same series 1000 higher: the same inputs and targets (the level leaves no trace), and forecasts 1000 higher
        var shifted = SeriesFiles.Task(SeriesFiles.Write(tmp, Enumerable.Range(0, 20).Select(t => t + 1000.0), "shifted.csv"), 3, 2,
            ("--eval-from", "13"), ("--features", "x"), ("--predict", "change"));
        using var shiftedEval = shifted.Sample(100, 0, TaskSplit.Evaluation);
        Assert.Equal(eval.Inputs.data<float>().ToArray(), shiftedEval.Inputs.data<float>().ToArray());
        Assert.Equal(eval.Targets.data<float>().ToArray(), shiftedEval.Targets.data<float>().ToArray());

        // outputs 1 too high in every change (1 + 1 and 2 + 1 over √2): MAE 1 in the target's units, 1000 higher or not
        var outputs = Enumerable.Range(0, 4).SelectMany(_ => new[] { (float)(2 / Math.Sqrt(2)), (float)(3 / Math.Sqrt(2)) }).ToArray();
        Assert.Equal(1, task.Measure(new Evaluation(0, double.NaN, double.NaN, null, outputs))["mae"]!.GetValue<double>(), 4);
        Assert.Equal(1, shifted.Measure(new Evaluation(0, double.NaN, double.NaN, null, outputs))["mae"]!.GetValue<double>(), 4);
        // the forecast after the last row (y_19 = 19) of a runtime that always answers the changes 1 and 2
        WindowModel exact = (windows, count) => [.. Enumerable.Range(0, count).SelectMany(_ => new[] { (float)(1 / Math.Sqrt(2)), (float)(2 / Math.Sqrt(2)) })];
        Assert.Equal([20, 21], Forecaster.Run(task, task.Series(), exact).Values.Select(v => Math.Round(v, 4)));
        Assert.Equal([1020, 1021], Forecaster.Run(shifted, shifted.Series(), exact).Values.Select(v => Math.Round(v, 3)));

        Assert.Equal("predict: 'up' is not one of level|change", Assert.Throws<ArgumentException>(() =>
            SeriesFiles.Task(SeriesFiles.Write(tmp, Enumerable.Range(0, 20).Select(t => (double)t)), 3, 2, ("--predict", "up"))).Message);
    }

    [Fact]
    public void LossIsATaskCapabilityCrossEntropyByDefault()
    {
        Assert.Equal(TaskLoss.CrossEntropy, ((ISequenceTask)new Classify()).Objective);
        Assert.Equal(TaskLoss.CrossEntropy, ((ISequenceTask)new Parity()).Objective);
        Assert.Equal(TaskLoss.SquaredError, new Forecast().Objective);
        Assert.Equal(TaskLoss.AbsoluteError, new Forecast(Loss: Forecast.Mae).Objective);
        // outputs (B = 1, L = 2, H = 2) whose last step is (1, 3) against targets (0, 5): MSE = (1 + 4)/2, MAE = (1 + 2)/2
        using var logits = tensor(new float[] { 9, 9, 1, 3 }, [1, 2, 2]);
        using var targets = tensor(new float[] { 0, 5 }, [1, 2]);
        Assert.Equal(2.5f, Evaluator.Loss(logits, targets, TaskLoss.SquaredError).item<float>());
        Assert.Equal(1.5f, Evaluator.Loss(logits, targets, TaskLoss.AbsoluteError).item<float>());
    }

    [Fact]
    public void MissingValuesFailNamingTheLineOrCarryThePreviousOne()
    {
        using var tmp = new TempFolder();
        var path = tmp["gaps.csv"];
        File.WriteAllLines(path, ["t,y", "0,1", "1,NA", "2,", "3,4"]);
        var e = Assert.Throws<ArgumentException>(() => SeriesTable.Read(path, ["y"], "t", MissingValues.Error));
        Assert.Contains("line 3", e.Message);
        Assert.Equal([1, 1, 1, 4], SeriesTable.Read(path, ["y"], "t", MissingValues.Previous).Columns[0]);
        Assert.Equal(["4", "5"], SeriesTable.Read(path, ["y"], "t", MissingValues.Previous).NextTimes(2)!);
        File.WriteAllLines(path, ["t,y", "2024-01-01,1", "2024-01-08,2"]);
        Assert.Equal(["2024-01-15"], SeriesTable.Read(path, ["y"], "t", MissingValues.Error).NextTimes(1)!);
        File.WriteAllLines(path, ["t,y", "2024-01-01,1", "2024-02-01,2", "2024-03-01,2"]);
        Assert.Null(SeriesTable.Read(path, ["y"], "t", MissingValues.Error).NextTimes(1));   // months differ in length
    }
}
