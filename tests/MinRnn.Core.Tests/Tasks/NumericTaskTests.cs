using MinRnn.Runs;
using System.Text.Json.Nodes;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tests.Tasks;

/// <summary>classify and label over numeric steps: the form and F read from the file, a vocabulary of pad and the class
/// tokens, zero-padded float batches, the standardisation learned from the training rows alone (against a float64 hand
/// computation), padding that never changes a row's answer, and training to the rule the rows were made by.</summary>
public sealed class NumericTaskTests : IDisposable
{
    private readonly TempFolder files = new();

    public void Dispose() => files.Dispose();

    private string Rows(string name, params string[] lines)
    {
        File.WriteAllLines(files[name], lines);
        return files[name];
    }

    [Fact]
    public void NumericRowsGiveFeaturesAndAVocabularyOfPadAndClasses()
    {
        var data = Rows("n.jsonl", """{"input": [[1, 2], [3, 4]], "label": "b"}""", """{"input": [[0.5, -1e3]], "label": "a"}""", """{"input": [[1, 1], [2, 2], [3, 3]], "label": "a"}""");
        var task = (Classify)new Classify().WithFiles(new TaskFiles(data, data));
        Assert.Equal(("numeric", 2, 3), (task.Form, task.Features, task.SeqLen));
        Assert.Equal(["pad", "<a>", "<b>"], task.Vocabulary.Tokens);
        Assert.Equal(0, task.Vocabulary[LabelledTask.PadToken]);
        Assert.Equal(new ClassTokens(1, 2), ((ISequenceTask)task).Classes);
        Assert.Equal(2, ((ISequenceTask)task).InputFeatures);
        Assert.Equal(task, TaskJson.FromJson(TaskJson.ToJson(task)));
        Assert.Equal(task.FeatureMean, ((ISequenceTask)TaskJson.FromJson(TaskJson.ToJson(task))).InputStandardisation!.Value.Mean);
        Assert.Throws<ArgumentException>(() => task.Encode(LabelledRows.Read(data, "data", LabelShape.PerRow).Rows[0]));
    }

    [Fact]
    public void EvaluationBatchIsZeroPaddedStepsWithEachClassAtItsRowsLastStep()
    {
        var data = Rows("train.jsonl", """{"input": [[1, 2]], "label": "p"}""", """{"input": [[3, 4]], "label": "q"}""");
        var eval = Rows("eval.jsonl", """{"input": [[1.5, -2], [0.25, 8]], "label": "q"}""", """{"input": [[9, 9], [8, 8], [7, 7]], "label": "p"}""");
        var task = (Classify)new Classify().WithFiles(new TaskFiles(data, eval));
        using var batch = task.Sample(16, 0, TaskSplit.Evaluation);
        Assert.Equal(ScalarType.Float32, batch.Inputs.dtype);
        Assert.Equal([2L, 3L, 2L], batch.Inputs.shape);
        Assert.Equal(new float[] { 1.5f, -2, 0.25f, 8, 0, 0, /**/ 9, 9, 8, 8, 7, 7 }, batch.Inputs.data<float>().ToArray());
        long I = TaskBatch.IgnoreIndex;
        Assert.Equal(new long[] { I, 2, I, /**/ I, I, 1 }, batch.Targets.data<long>().ToArray());   // pad 0, <p> 1, <q> 2
        using var cut = task.WithSeqLen(1).Sample(16, 0, TaskSplit.Evaluation);
        Assert.Equal(new float[] { 1.5f, -2, 9, 9 }, cut.Inputs.data<float>().ToArray());
    }

    /// <summary>Mean and population standard deviation of every feature over every step of the rows not held out, in float64
    /// here from the file's text; the held-out rows change the mean over all rows, so a task that used them would fail.</summary>
    [Fact]
    public void StandardisationIsLearnedFromTheTrainingRowsOnly()
    {
        var path = NumericRows.Write(files, Classify.TaskName, 120);
        var task = (Classify)new Classify().WithFiles(new TaskFiles(path));
        var (_, text) = Assert.Single(task.RunFiles());
        var held = JsonNode.Parse(text)!["lines"]!.AsArray().Select(n => n!.GetValue<int>()).ToHashSet();
        Assert.NotEmpty(held);
        var rows = NumericRows.Read(path);
        var train = rows.Where((_, i) => !held.Contains(i + 1)).SelectMany(r => r).ToArray();
        var all = rows.SelectMany(r => r).ToArray();
        for (var k = 0; k < NumericRows.Features; k++)
        {
            var mean = train.Average(s => (double)s[k]);
            var std = Math.Sqrt(train.Average(s => (s[k] - mean) * (s[k] - mean)));
            Assert.Equal(mean, task.FeatureMean![k], Math.Max(1e-6, Math.Abs(mean) * 1e-6));
            Assert.Equal(k == 2 ? 1.0 : std, task.FeatureStd![k], Math.Max(1e-6, std * 1e-6));          // feature 2 is constant: std 1
            if (k < 2) Assert.NotEqual(all.Average(s => (double)s[k]), task.FeatureMean![k], Math.Max(1e-6, Math.Abs(mean) * 1e-6));
        }

        // an evaluation file, however far off, does not move it
        var far = files["far.jsonl"];
        File.WriteAllLines(far, rows.Take(4).Select(r => NumericRows.Line([.. r.Select(s => s.Select(x => x + 1000f).ToArray())], Classify.TaskName)));
        var withEval = (Classify)new Classify().WithFiles(new TaskFiles(path, far));
        Assert.Equal(all.Average(s => (double)s[1]), withEval.FeatureMean![1], 1e-3);
    }

    /// <summary>Every kind is causal, so the zero steps after a numeric row's end cannot reach its own steps: in a padded
    /// batch each row's logits at its last step equal the row run alone (with a standardisation that is not the identity,
    /// so zeros are not zeros after it).</summary>
    [Theory]
    [MemberData(nameof(CellCases.All), MemberType = typeof(CellCases))]
    public void PaddingDoesNotChangeARowsAnswer(string cell)
    {
        var task = (Classify)new Classify().WithFiles(new TaskFiles(NumericRows.Write(files, Classify.TaskName, 200)));
        random.manual_seed(3);
        using var model = new SequenceModel(new ModelConfig(cell, Layers: 2, Vocab: task.Vocabulary.Size, Dim: 16, Features: task.Features));
        model.SetStandardisation(task.FeatureMean!, task.FeatureStd!);
        model.eval();
        using var noGrad = no_grad();
        using var batch = task.Sample(12, 0, TaskSplit.Evaluation);
        using var padded = model.Logits(batch.Inputs);
        var lengths = new HashSet<long>();
        for (var b = 0; b < 12; b++)
        {
            var length = batch.Targets[b].ne(TaskBatch.IgnoreIndex).nonzero().item<long>() + 1;
            lengths.Add(length);
            using var alone = model.Logits(batch.Inputs[b].narrow(0, 0, length).unsqueeze(0));
            RelativeError.AssertWithin(padded[b, length - 1].data<float>().ToArray(), alone[0, length - 1].data<float>().ToArray(), 1e-5, $"{cell} row {b}");
        }
        Assert.True(lengths.Count > 2, "rows of mixed lengths");
    }

    [Fact]
    public void GruLearnsTheSignOfTheSumAndTheModelCarriesTheStandardisation()
    {
        var task = (Classify)new Classify().WithFiles(new TaskFiles(NumericRows.Write(files, Classify.TaskName, 600)));
        var config = new RunConfig(new ModelConfig("gru", Layers: 1, Vocab: task.Vocabulary.Size, Dim: 32, Features: task.Features), task,
            new TrainOptions(Steps: 300, Batch: 32, Lr: 1e-2, EvalEvery: 300, CheckpointEvery: 300, EvalSize: 512, Device: "cpu"));
        var dir = files["run"];
        var summary = Trainer.Run(config, dir);
        Assert.True(summary.TestAccuracy >= 0.9, $"test accuracy {summary.TestAccuracy} (chance ≈ 0.5)");
        using var model = Checkpoint.LoadModel(dir, CPU);
        Assert.Equal(task.FeatureMean, model.Standardisation!.Value.Mean);
        Assert.Equal(task.FeatureStd, model.Standardisation!.Value.Std);
        var e = RunEvaluation.Write(dir, model, task, 512, 0);
        Assert.Equal(summary.TestAccuracy, e.Accuracy, 12);
        Assert.NotNull(RunJson.Number(e.TaskMetrics, "macro_f1"));
        Assert.Throws<ArgumentException>(() => new RunConfig(config.Model with { Features = null }, task, config.Train).Validate());
    }

    [Fact]
    public void LabelScoresEveryNumericStep()
    {
        var data = Rows("train.jsonl", """{"input": [[1], [-2]], "labels": ["pos", "neg"]}""", """{"input": [[-1]], "labels": ["neg"]}""");
        var eval = Rows("eval.jsonl", """{"input": [[3], [-4], [5]], "labels": ["pos", "neg", "pos"]}""", """{"input": [[-6]], "labels": ["neg"]}""");
        var task = (StepLabels)new StepLabels().WithFiles(new TaskFiles(data, eval));
        using var batch = task.Sample(8, 0, TaskSplit.Evaluation);
        Assert.Equal(new float[] { 3, -4, 5, -6, 0, 0 }, batch.Inputs.data<float>().ToArray());
        long I = TaskBatch.IgnoreIndex;
        Assert.Equal(new long[] { 2, 1, 2, 1, I, I }, batch.Targets.data<long>().ToArray());   // pad 0, <neg> 1, <pos> 2
        Assert.Equal(-2f / 3, task.FeatureMean![0], 6);                                       // the training file's steps: 1, −2, −1
    }

    /// <summary>RowLogits (predict --run) on numeric rows of mixed lengths, a few rows a batch, equals each row run alone.</summary>
    [Fact]
    public void RowLogitsEqualEachRowRunAlone()
    {
        var path = NumericRows.Write(files, StepLabels.TaskName, 40);
        var task = (StepLabels)new StepLabels().WithFiles(new TaskFiles(path));
        random.manual_seed(4);
        using var model = new SequenceModel(new ModelConfig("minlstm", Layers: 2, Vocab: task.Vocabulary.Size, Dim: 8, Features: task.Features));
        model.SetStandardisation(task.FeatureMean!, task.FeatureStd!);
        model.eval();
        var rows = task.PredictionRows(path, "data");
        var logits = RowLogits.Of(model, task, rows, batchSize: 7);
        using var _ = no_grad();
        for (var r = 0; r < rows.Count; r++)
        {
            using var alone = model.Logits(tensor(task.EncodeSteps(rows[r]), [1, rows[r].Steps, NumericRows.Features]));
            Assert.Equal(rows[r].Steps * task.Vocabulary.Size, logits[r].Length);
            RelativeError.AssertWithin(logits[r], alone.data<float>().ToArray(), 1e-5, $"row {r}");
        }
    }
}
