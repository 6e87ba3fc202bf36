using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public class TrainerTests
{
    private static RunConfig Tiny(string cell = "mingru", int steps = 40) => new(
        new ModelConfig(cell, Layers: 2, Vocab: 6, Dim: 16),
        new SelectiveCopying(SeqLen: 12, Tokens: 2, Vocab: 6),
        new TrainOptions(Steps: steps, Batch: 16, Lr: 1e-2, EvalEvery: 10, CheckpointEvery: 10, EvalSize: 64, Seed: 3, Device: "cpu"));

    [Theory]
    [InlineData("mingru")]
    [InlineData("lstm")]
    public void TrainingLowersTheLoss(string cell)
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var summary = Trainer.Run(Tiny(cell), dir);
        var metrics = RunFiles.ReadMetrics(dir);
        Assert.Equal(new[] { 10, 20, 30, 40 }, metrics.Select(m => m.Step));
        Assert.True(metrics[^1].Loss < metrics[0].Loss - 0.05, $"loss {metrics[0].Loss} → {metrics[^1].Loss}");
        Assert.True(metrics[^1].TrainLoss < Math.Log(6), "train loss below chance (ln 6)");
        Assert.Equal(metrics[^1].Accuracy, summary.TestAccuracy);
        Assert.Equal(cell, RunFiles.ReadSummary(dir).Model);
        Assert.True(Checkpoint.Exists(dir));
    }

    [Fact]
    public void ResumeEqualsUninterrupted()
    {
        using var tmp = new TempFolder();
        var (whole, parts) = (tmp["whole"], tmp["parts"]);
        var expected = Trainer.Run(Tiny(), whole);

        using var stop = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() =>
            Trainer.Run(Tiny(), parts, progress: p => { if (p.Step == 23) stop.Cancel(); }, cancel: stop.Token));
        Assert.Equal(23, Checkpoint.ReadState(parts).Step);
        var resumed = Trainer.Run(Tiny(), parts, resume: true);

        Assert.Equal(expected.FinalLoss, resumed.FinalLoss);
        Assert.Equal(expected.TestAccuracy, resumed.TestAccuracy);
        var (a, b) = (RunFiles.ReadMetrics(whole), RunFiles.ReadMetrics(parts));
        Assert.Equal(a.Select(m => (m.Step, m.Loss, m.Accuracy, m.TrainLoss)), b.Select(m => (m.Step, m.Loss, m.Accuracy, m.TrainLoss)));
    }

    [Fact]
    public void MismatchedOrCorruptCheckpointsGiveClearErrors()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        Trainer.Run(Tiny(steps: 10), dir);
        var other = Tiny(steps: 20) with { Model = Tiny().Model with { Dim = 8 } };
        var e = Assert.Throws<CheckpointException>(() => Trainer.Run(other, dir, resume: true));
        Assert.Contains("different configuration", e.Message);

        File.WriteAllText(Path.Combine(dir, Checkpoint.Folder, "model.bin"), "garbage");
        e = Assert.Throws<CheckpointException>(() => Checkpoint.LoadModel(dir, TorchSharp.torch.CPU));
        Assert.Contains("checkpoint", e.Message);

        File.WriteAllText(Path.Combine(dir, Checkpoint.Folder, "state.json"), "{ broken");
        Assert.Throws<CheckpointException>(() => Checkpoint.ReadState(dir));
    }

    [Fact]
    public void ScheduleWarmsUpThenDecays()
    {
        var o = new TrainOptions(Steps: 110, Lr: 1.0, WarmupSteps: 10, Schedule: LrSchedule.Cosine);
        Assert.Equal(0.1, o.LearningRate(1), 12);
        Assert.Equal(1.0, o.LearningRate(10), 12);
        Assert.Equal(0.5, o.LearningRate(60), 12);
        Assert.Equal(0.0, o.LearningRate(110), 12);
    }
}
