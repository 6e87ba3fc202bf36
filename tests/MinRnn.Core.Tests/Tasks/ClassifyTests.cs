using MinRnn.Runs;
using System.Text.Json;
using System.Text.Json.Nodes;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tests.Tasks;

/// <summary>classify over the user's rows: the vocabulary and classes read from the file, padded batches with each row's
/// class at its own last step (checked against the rows re-encoded here), the stratified held-out split and its file,
/// and training to the rule the rows were made by.</summary>
public sealed class ClassifyTests : IDisposable
{
    private readonly TempFolder files = new();

    public void Dispose() => files.Dispose();

    private string Rows(string name, params string[] lines)
    {
        File.WriteAllLines(files[name], lines);
        return files[name];
    }

    [Fact]
    public void TextRowsGiveTheirCharactersPadAndClassTokens()
    {
        var data = Rows("t.jsonl", """{"input": "bca", "label": "yes"}""", """{"input": "ab", "label": "no"}""", """{"input": "é", "label": "yes"}""");
        var task = (Classify)new Classify().WithFiles(new TaskFiles(data, data));   // three rows: too few to hold any out
        Assert.Equal(("text", "abcé", 3), (task.Form, task.Alphabet, task.SeqLen));
        Assert.Equal(["no", "yes"], task.ClassNames);
        Assert.Equal(["a", "b", "c", "é", "unknown", "pad", "<no>", "<yes>"], task.Vocabulary.Tokens);
        Assert.Equal(new ClassTokens(6, 2), ((ISequenceTask)task).Classes);
        Assert.Equal(task, TaskJson.FromJson(TaskJson.ToJson(task)));
    }

    [Fact]
    public void TokenRowsWithIntegerLabelsOrderTheClassesByValue()
    {
        var data = Rows("k.jsonl", """{"input": [3, 0], "label": 10}""", """{"input": [1], "label": 2}""", """{"input": [7, 7, 7, 7], "label": 1}""");
        var task = (Classify)new Classify().WithFiles(new TaskFiles(data, data));
        Assert.Equal(("tokens", 8, 4, true), (task.Form, task.InputTokens, task.SeqLen, task.IntegerLabels));
        Assert.Equal(["1", "2", "10"], task.ClassNames);
        Assert.Equal(8 + 1 + 3, task.Vocabulary.Size);
        Assert.Equal(8, task.Vocabulary[LabelledTask.PadToken]);
    }

    [Fact]
    public void EvaluationBatchIsPaddedWithEachClassAtItsRowsLastStep()
    {
        var data = Rows("train.jsonl", """{"input": "abc", "label": "p"}""", """{"input": "cab", "label": "q"}""");
        var eval = Rows("eval.jsonl", """{"input": "ba", "label": "q"}""", """{"input": "abcab", "label": "p"}""", """{"input": "z", "label": "p"}""");
        var task = (Classify)new Classify().WithFiles(new TaskFiles(data, eval));
        using var batch = task.Sample(16, 0, TaskSplit.Evaluation);
        // alphabet "abc": a 0, b 1, c 2, unknown 3, pad 4, <p> 5, <q> 6
        long[] inputs = [1, 0, 4, 4, 4, /**/ 0, 1, 2, 0, 1, /**/ 3, 4, 4, 4, 4];
        long I = TaskBatch.IgnoreIndex;
        long[] targets = [I, 6, I, I, I, /**/ I, I, I, I, 5, /**/ 5, I, I, I, I];
        Assert.Equal([3L, 5L], batch.Inputs.shape);
        Assert.Equal(inputs, batch.Inputs.data<long>().ToArray());
        Assert.Equal(targets, batch.Targets.data<long>().ToArray());
        using var cut = task.WithSeqLen(2).Sample(16, 0, TaskSplit.Evaluation);   // rows keep their first T steps
        Assert.Equal(new long[] { 1, 0, 0, 1, 3, 4 }, cut.Inputs.data<long>().ToArray());
        Assert.Equal(new long[] { I, 6, I, 5, 5, I }, cut.Targets.data<long>().ToArray());
    }

    /// <summary>Every kind is causal, so the padding after a row's end cannot reach its last step: the logits there
    /// equal those of the row run alone, unpadded.</summary>
    [Theory]
    [MemberData(nameof(CellCases.All), MemberType = typeof(CellCases))]
    public void PaddingDoesNotChangeARowsAnswer(string cell)
    {
        var task = LabelledFiles.Task(files, Classify.TaskName);
        random.manual_seed(3);
        using var model = new SequenceModel(new ModelConfig(cell, Layers: 2, Vocab: task.Vocabulary.Size, Dim: 16));
        model.eval();
        using var noGrad = no_grad();
        using var batch = task.Sample(12, 0, TaskSplit.Evaluation);
        using var padded = model.Logits(batch.Inputs);
        var pad = task.Vocabulary[LabelledTask.PadToken];
        for (var b = 0; b < 12; b++)
        {
            var row = batch.Inputs[b];
            var length = row.ne(pad).sum().item<long>();
            using var alone = model.Logits(row.narrow(0, 0, length).unsqueeze(0));
            RelativeError.AssertWithin(padded[b, length - 1].data<float>().ToArray(), alone[0, length - 1].data<float>().ToArray(), 1e-5, $"{cell} row {b}");
            Assert.Equal(length - 1, batch.Targets[b].ne(TaskBatch.IgnoreIndex).nonzero().item<long>());
        }
    }

    [Fact]
    public void HeldOutRowsAreAStratifiedSeededTenthAndWrittenDown()
    {
        var path = LabelledFiles.Write(files, Classify.TaskName, 300);
        var task = (Classify)new Classify().WithFiles(new TaskFiles(path));
        var held = Lines(task);
        var texts = File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!["input"]!.GetValue<string>()).ToArray();
        foreach (var group in texts.Select((t, i) => (Class: LabelledFiles.ClassOf(t), Line: i + 1)).GroupBy(p => p.Class))
            Assert.Equal((int)Math.Floor(group.Count() * 0.1 + 0.5), group.Count(p => held.Contains(p.Line)));
        Assert.Equal(held, Lines(task));
        Assert.NotEqual(held, Lines(task with { HoldoutSeed = 1 }));
        // the evaluation rows are exactly the held-out lines, in file order
        using var eval = task.Sample(1000, 0, TaskSplit.Evaluation);
        Assert.Equal(held.Length, (int)eval.Inputs.shape[0]);
        var alphabet = task.Alphabet;
        for (var b = 0; b < held.Length; b++)
        {
            var text = texts[held[b] - 1];
            Assert.Equal(text.Select(c => (long)alphabet.IndexOf(c)), eval.Inputs[b].data<long>().Take(text.Length));
        }
        Assert.Empty(((IFileTask)(task with { EvalData = path })).RunFiles());
    }

    private static int[] Lines(Classify task)
    {
        var (name, text) = Assert.Single(task.RunFiles());
        Assert.Equal(LabelledTask.HeldOutFile, name);
        return [.. JsonNode.Parse(text)!["lines"]!.AsArray().Select(n => n!.GetValue<int>())];
    }

    [Fact]
    public void GruLearnsTheRuleAndTheFilesCarryMacroF1AndTheConfusionMatrix()
    {
        var task = (Classify)new Classify().WithFiles(new TaskFiles(LabelledFiles.Write(files, Classify.TaskName, 600)));
        var config = new RunConfig(new ModelConfig("gru", Layers: 1, Vocab: task.Vocabulary.Size, Dim: 32), task,
            new TrainOptions(Steps: 400, Batch: 32, Lr: 1e-2, EvalEvery: 400, CheckpointEvery: 400, EvalSize: 512, Device: "cpu"));
        var dir = files["run"];
        var summary = Trainer.Run(config, dir);
        Assert.True(summary.TestAccuracy >= 0.85, $"test accuracy {summary.TestAccuracy} (chance ≈ 0.5)");
        var heldOut = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, LabelledTask.HeldOutFile)))!["lines"]!.AsArray().Count;
        var read = RunFiles.ReadSummary(dir);
        var confusion = read.TaskMetrics!["test_confusion_matrix"].Deserialize<long[][]>()!;
        var matrix = new long[2, 2];
        for (var i = 0; i < 2; i++) for (var j = 0; j < 2; j++) matrix[i, j] = confusion[i][j];
        Assert.Equal(heldOut, confusion.Sum(r => r.Sum()));                      // every held-out row, once
        Assert.Equal(summary.TestAccuracy, (double)(matrix[0, 0] + matrix[1, 1]) / heldOut, 12);
        Assert.Equal(ClassScores.MacroF1(matrix), read.TaskMetrics["test_macro_f1"].GetDouble(), 12);
        using var model = Checkpoint.LoadModel(dir, CPU);
        var e = RunEvaluation.Write(dir, model, task, 512, 0);
        Assert.Equal(summary.TestAccuracy, e.Accuracy, 12);
        Assert.Equal(read.TaskMetrics["test_macro_f1"].GetDouble(), RunJson.Number(e.TaskMetrics, "macro_f1")!.Value, 12);
    }
}
