using MinRnn.Runs;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Tests.Tasks;
using MinRnn.Training;

namespace MinRnn.Tests.Training;

/// <summary>The trainer on the forecast task: a GRU learns a noiseless sine (period 12) H = 6 steps ahead, far better than
/// the naive forecast, through the task's MSE loss capability.</summary>
public class ForecastTrainingTests
{
    [Fact]
    public void GruLearnsASineToMaseWellBelowOne()
    {
        using var tmp = new TempFolder();
        var task = SeriesFiles.Task(SeriesFiles.Write(tmp, SeriesFiles.Sine(600)), seqLen: 24, horizon: 6);
        var config = new RunConfig(new ModelConfig("gru", Layers: 2, Vocab: task.Vocabulary.Size, Dim: 64, Features: task.InputFeatures), task,
            new TrainOptions(Steps: 300, Batch: 64, Lr: 3e-3, EvalEvery: 300, CheckpointEvery: 300, EvalSize: 512, Seed: 0, Device: "cpu"));
        var summary = Trainer.Run(config, tmp["run"]);
        var mase = RunJson.Number(summary.TaskMetrics, "test_mase")!.Value;
        var naive = RunJson.Number(summary.TaskMetrics, "test_naive_mase")!.Value;
        // MASE's scale is the naive forecast's in-sample MAE: on this sine ≈ 0.33; the naive forecast 6 steps ahead is far worse
        Assert.True(naive > 1, $"naive MASE {naive}");
        Assert.True(mase < 0.1, $"MASE {mase} (naive {naive})");
        Assert.Equal(31, RunJson.Number(summary.TaskMetrics, "test_windows"));   // cut 540: origins 540 + 23 … 599 − 6
    }
}
