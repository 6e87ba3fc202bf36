using MinRnn.Analysis.Statistics;
using MinRnn.Cli.Commands;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Tests.Tasks;

/// <summary>The capabilities of the task contract that replaced type checks in the trainer, evaluation, presets, CLI,
/// compare and explain: each layer asks the task, and char-lm and selective copying answer as before.</summary>
public sealed class TaskCapabilityTests : IDisposable
{
    private readonly TempFolder files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void PresetsAreTheTasksOwnInRegistryOrder()
    {
        Assert.Equal(["quick", "paper", "char", "lm"], Presets.Names);
        Assert.Equal(SelectiveCopying.TaskName, Presets.TaskOf("paper"));
        Assert.Equal(CharLm.TaskName, Presets.TaskOf("char"));
        Assert.Equal(CharLm.TaskName, Presets.TaskOf("lm"));
        Assert.Equal(SelectiveCopying.TaskName, Presets.TaskOf("quick"));
        var paper = Presets.Get("paper", "gru");
        Assert.Equal(new SelectiveCopying(SeqLen: 4096, Tokens: 16, Vocab: 16), paper.Task);
        Assert.Equal(new ModelConfig("gru", Layers: 3, Vocab: 16, Dim: 64, Expansion: 6.0), paper.Model);
        Assert.Equal(400_000, paper.Train.Steps);
        var chars = Presets.Get("char", "mingru", CharLm.TaskName);
        Assert.Equal((128, 1000, 32, LrSchedule.Cosine), (chars.Task.SeqLen, chars.Train.Steps, chars.Train.Batch, chars.Train.Schedule));
        Assert.Equal("preset: char is the char-lm setting; parity has quick only",
            Assert.Throws<ArgumentException>(() => Presets.Get("char", "mingru", "parity")).Message);
        Assert.StartsWith("preset: 'nope' is not one of quick|paper|char", Assert.Throws<ArgumentException>(() => Presets.Get("nope")).Message);
    }

    [Fact]
    public void CompareRanksATasksOwnMetricByItsDeclaredDirection()
    {
        Assert.Equal(RankOrder.LowerIsBetter, MinRnn.Studies.ComparisonFiles.TaskDirection("test_bpc"));
        Assert.Equal(RankOrder.LowerIsBetter, MinRnn.Studies.ComparisonFiles.TaskDirection("bpc"));
        Assert.Null(MinRnn.Studies.ComparisonFiles.TaskDirection("test_accuracy"));           // not a task's own: read from the name
        foreach (var metric in TaskRegistry.All.SelectMany(k => k.Quick.Metrics))
            Assert.NotNull(MinRnn.Studies.ComparisonFiles.TaskDirection("test_" + metric.Name));
    }

    [Fact]
    public void OnlyFileTasksReadFilesAndCharLmKeepsItsOptions()
    {
        var fileTasks = TaskRegistry.All.Where(k => k.Quick is IFileTask).Select(k => k.Name).ToList();
        Assert.Contains(CharLm.TaskName, fileTasks);
        Assert.DoesNotContain(SelectiveCopying.TaskName, fileTasks);
        var lm = (IFileTask)new CharLm(SeqLen: 16);
        Assert.Equal(["--vocab-from"], lm.ExtraFileOptions);
        var text = MarkovText.File(files, 2_000, seed: 1);
        var task = (CharLm)lm.WithFiles(new TaskFiles(text));
        Assert.Equal(CharLm.FromFiles(text, 16), task);
        var other = files["other.txt"];
        File.WriteAllText(other, "abc abc abc abc abc abc abc abc");
        Assert.Equal(task with { EvalData = Path.GetFullPath(other) }, task.WithEvalData(other));
    }

    [Fact]
    public void CharLmMeasuresBitsPerCharacterAndTheFilesKeepThem()
    {
        var lm = new CharLm();
        var measured = ((ISequenceTask)lm).Measure(new Evaluation(Math.Log(2) * 1.5, 0.5, 0));
        Assert.Equal(1.5, measured["bpc"]!.GetValue<double>(), 12);
        Assert.Equal([new TaskMetric("bpc", MetricDirection.LowerIsBetter)], lm.Metrics);
        Assert.Empty(((ISequenceTask)new Parity()).Measure(new Evaluation(1, 1, 1)));

        var task = CharLm.FromFiles(MarkovText.File(files, 4_000, seed: 3), seqLen: 16);
        var config = new RunConfig(new ModelConfig("gru", Layers: 1, Vocab: task.Vocabulary.Size, Dim: 8), task,
            new TrainOptions(Steps: 2, Batch: 4, EvalEvery: 1, CheckpointEvery: 2, EvalSize: 8, Device: "cpu"));
        var dir = files["run"];
        var summary = Trainer.Run(config, dir);
        var read = RunFiles.ReadSummary(dir);
        Assert.Equal(summary.TestBpc, read.TestBpc);
        Assert.Equal(read.FinalLoss / Math.Log(2), read.TestBpc!.Value, 12);
        Assert.All(RunFiles.ReadMetrics(dir), m => Assert.Equal(m.Loss / Math.Log(2), m.Bpc!.Value, 12));
        Assert.Equal(["bpc"], RunFiles.ReadMetrics(dir)[0].TaskMetrics!.Keys);
    }

    [Fact]
    public void SelectiveCopyingKeepsItsExplainWordingOthersHaveNone()
    {
        var words = new SelectiveCopying(SeqLen: 64, Tokens: 4, Vocab: 16).Explanation;
        Assert.Equal("Selective copying T = 64, K = 4, vocab 16", words.Title);
        Assert.True(words.TokenRoles);
        Assert.Equal("data tokens", words.RelevantName);
        Assert.All(TaskRegistry.All.Where(k => k.Type != typeof(SelectiveCopying)), k => Assert.Null(k.Quick.Explanation));
    }
}
