using MinRnn.Tasks;

namespace MinRnn.Tests.Tasks;

/// <summary>label over the user's rows: every step read is scored with its own label, and a row whose labels do not
/// match its steps is refused naming the file, the line and the field.</summary>
public sealed class StepLabelsTests : IDisposable
{
    private readonly TempFolder files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void EveryStepCarriesItsLabel()
    {
        File.WriteAllLines(files["train.jsonl"], ["""{"input": [0, 2, 1], "labels": ["n", "v", "n"]}""", """{"input": [1], "labels": ["v"]}"""]);
        File.WriteAllLines(files["eval.jsonl"], ["""{"input": [2, 2], "labels": ["v", "n"]}""", """{"input": [0, 1, 2], "labels": ["n", "n", "v"]}"""]);
        var task = (StepLabels)new StepLabels().WithFiles(new TaskFiles(files["train.jsonl"], files["eval.jsonl"]));
        Assert.Equal(["n", "v"], task.ClassNames);
        using var batch = task.Sample(8, 0, TaskSplit.Evaluation);
        // tokens 0–2, pad 3, <n> 4, <v> 5
        Assert.Equal(new long[] { 2, 2, 3, 0, 1, 2 }, batch.Inputs.data<long>().ToArray());
        Assert.Equal(new long[] { 5, 4, TaskBatch.IgnoreIndex, 4, 4, 5 }, batch.Targets.data<long>().ToArray());
    }

    [Fact]
    public void LabelsOfTheWrongLengthNameTheFileLineAndField()
    {
        File.WriteAllLines(files["bad.jsonl"], ["""{"input": "ab", "labels": ["x", "y"]}""", """{"input": "abc", "labels": ["x", "y"]}"""]);
        var e = Assert.ThrowsAny<ArgumentException>(() => new StepLabels().WithFiles(new TaskFiles(files["bad.jsonl"])));
        Assert.Equal($"data: {files["bad.jsonl"]} line 2: labels: 2 labels for 3 input steps", e.Message);
    }

    [Fact]
    public void TrainingRowsSplitIntoATenthHeldOutOfAllRows()
    {
        var task = LabelledFiles.Task(files, StepLabels.TaskName);
        var (_, text) = Assert.Single(task.RunFiles());
        Assert.Equal(20, System.Text.Json.Nodes.JsonNode.Parse(text)!["lines"]!.AsArray().Count);   // 200 rows × 0.1
        using var batch = task.Sample(4, 7, TaskSplit.Train);
        var pad = task.Vocabulary[LabelledTask.PadToken];
        Assert.Equal(batch.Inputs.ne(pad).sum().item<long>(), batch.Targets.ne(TaskBatch.IgnoreIndex).sum().item<long>());
    }
}
