using System.Text.Json;
using MinRnn.Analysis.Compare;
using MinRnn.Models;
using MinRnn.Runs;
using MinRnn.Tasks;
using MinRnn.Training;
using K = MinRnn.Onnx.Format.MetadataKeys;

namespace MinRnn.Tests.Runs;

/// <summary>The run-folder contract (MinRnn.Runs.Format, tested alone in MinRnn.Runs.Format.Tests) holds on both sides: a
/// run the trainer writes is read back by compare's loader through the contract's names, and the summary's record writes
/// every name readers look up.</summary>
public class RunContractTests
{
    [Fact]
    public void CompareReadsWhatTheTrainerWritesThroughTheContractsNames()
    {
        using var tmp = new TempFolder();
        var text = tmp["text.txt"];
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 40)));
        var task = CharLm.FromFiles(text, seqLen: 16);
        var config = new RunConfig(new ModelConfig("mingru", Layers: 1, Vocab: task.Vocabulary.Size, Dim: 8), task,
            new TrainOptions(Steps: 4, Batch: 4, EvalEvery: 2, CheckpointEvery: 4, EvalSize: 4, Seed: 3, Device: "cpu"));
        var dir = tmp["run"];
        var summary = Trainer.Run(config, dir);

        var (runs, problems) = RunLoader.Load([tmp.Path]);
        Assert.Empty(problems);
        var run = Assert.Single(runs);
        Assert.Equal("mingru", run.Fields[RunFields.Model]);
        Assert.Equal("1", run.Fields[RunFields.Layers]);
        Assert.Equal("3", run.Fields[RunFields.Seed]);
        Assert.Equal("4", run.Fields[RunFields.Steps]);
        Assert.Equal("char-lm", run.Fields[RunFields.Task]);
        Assert.Equal("16", run.Fields[RunFields.SeqLen]);
        Assert.Equal("8", run.Fields[RunFields.Dim]);
        Assert.Equal(summary.TestBpc!.Value, run.Metrics[RunFields.TestBpc], 12);
        Assert.Equal(summary.TestAccuracy, run.Metrics[RunFields.TestAccuracy], 12);
        var lines = RunFiles.ReadMetrics(dir);
        Assert.Equal(lines.Select(l => l.Step), run.Curve.Select(p => p.Step));
        Assert.Equal(lines.Select(l => l.Bpc!.Value), run.Curve.Select(p => p.Bpc));
        Assert.Equal(lines.Select(l => l.ElapsedS), run.Curve.Select(p => p.Seconds));
        Assert.Equal(lines.Select(l => l.Accuracy), run.Curve.Select(p => p.Accuracy));
    }

    [Fact]
    public void TheSummarysRecordWritesEveryNameReadersLookUp()
    {
        var names = typeof(RunSummary).GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToHashSet();
        Assert.Subset(names, new HashSet<string> { RunFields.Model, RunFields.Layers, RunFields.Seed, RunFields.Steps, RunFields.Task, RunFields.Config, RunFields.Dim });
        Assert.Same(RunJson.Options, RunConfig.Json);
        Assert.Equal(TaskNames.SelectiveCopyingFile, K.SelectiveCopyingTask);   // the ONNX metadata spells it alike
        Assert.Equal(TaskNames.SelectiveCopyingFile, SelectiveCopying.FileName);
        // what the model library writes into files is what the ONNX side reads
        Assert.Equal(
            [FileMetadataKeys.MinRnnVersion, FileMetadataKeys.ModelConfig, FileMetadataKeys.Task, FileMetadataKeys.TaskSeqLen, FileMetadataKeys.TaskOptions,
             FileMetadataKeys.SpecialTokens, FileMetadataKeys.TaskTokens, FileMetadataKeys.MarkerToken, FileMetadataKeys.NoiseToken],
            [K.MinRnnVersion, K.ModelConfig, K.Task, K.TaskSeqLen, K.TaskOptions, K.SpecialTokens, K.TaskTokens, K.MarkerToken, K.NoiseToken]);
    }
}
