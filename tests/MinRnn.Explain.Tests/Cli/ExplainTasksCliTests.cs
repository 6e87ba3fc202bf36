using System.Text.Json.Nodes;
using MinRnn.Cells;
using MinRnn.Cells.Unrolling;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Decomposition;
using MinRnn.Explain.Evaluation;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Cli;

/// <summary>Tiny minGRU runs of the other tasks (6 tokens each, like the selective-copying runs), and a parity run.</summary>
public sealed class TinyTaskRuns : IDisposable
{
    private readonly TempFolder folder = new();

    public static readonly AssociativeRecall Recall = new(SeqLen: 8, Pairs: 2, Queries: 2, Keys: 3, Values: 2);
    public static readonly MissingDuplicate Duplicate = new(SeqLen: 8, Alphabet: 4);

    public TinyTaskRuns() => Runs = new[] { (ISequenceTask)Recall, Duplicate, new Parity(SeqLen: 8) }.ToDictionary(t => t.Name, t => (t, Train(t)));

    public Dictionary<string, (ISequenceTask Task, string Dir)> Runs { get; }

    public void Dispose() => folder.Dispose();

    private string Train(ISequenceTask task)
    {
        var dir = folder[task.Name];
        var config = new RunConfig(new ModelConfig("mingru", Layers: 2, Vocab: task.Vocabulary.Size, Dim: 8), task,
            new TrainOptions(Steps: 30, Batch: 8, EvalEvery: 30, CheckpointEvery: 30, EvalSize: 16, Device: "cpu"));
        Trainer.Run(config, dir);
        return dir;
    }
}

/// <summary>`minrnn explain` beyond selective copying: each task's own mask, filler and texts; tasks without a mask refused.</summary>
public class ExplainTasksCliTests(TinyTaskRuns runs) : IClassFixture<TinyTaskRuns>
{
    private static (int Code, string Out, string Err) Minrnn(params string[] args) => MinRnn.Tests.Cli.MinrnnProcess.Run(args);

    [Theory]
    [InlineData("associative-recall", 8, "filler token 'filler' (5)", "2 per case")]
    [InlineData("missing-duplicate", 9, "filler token 'blank' (4)", "1 per case")]
    public void ExplainsTheTaskWithItsOwnMaskAndFiller(string name, int length, string filler, string relevant)
    {
        var (task, run) = runs.Runs[name];
        using var tmp = new TempFolder();
        var outDir = tmp["explain"];
        var (code, _, err) = Minrnn("explain", "--run", run, "--out", outDir, "--samples", "4", "--examples", "1", "--ig-steps", "8", "--device", "cpu");
        Assert.True(code == 0, err);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "explain.json")))!;
        Assert.True(JsonNode.DeepEquals(task.Summary(), root["task"]), root["task"]!.ToJsonString());
        var settings = root["settings"]!;
        Assert.Equal(1.0 / length, settings["chance"]!.GetValue<double>(), 12);
        Assert.Equal((long)task.Filler!, settings["occlusion_token"]!.GetValue<long>());
        Assert.Contains(filler, settings["curves"]!.GetValue<string>());
        Assert.Contains(relevant, settings["ground_truth"]!.GetValue<string>());
        var answers = task is AssociativeRecall recall ? recall.Queries : 1;               // on the last steps
        Assert.Contains($"scored steps t = {string.Join(", ", Enumerable.Range(length - answers, answers))}", settings["target"]!.GetValue<string>());
        foreach (var method in AttributionMethods.Names.Where(n => n != "attention-rollout"))   // transformers only
            Assert.InRange(root["methods"]![method]!["pointing_game"]!.GetValue<double>(), 0, 1);
        Assert.Null(root["methods"]!["attention-rollout"]);
        Assert.Null(root["gates"]);
        var md = File.ReadAllText(Path.Combine(outDir, "explain.md"));
        Assert.Contains($"Task {name}: seq_len = 8", md);
        Assert.Contains($"not of {name}", md);
        Assert.Contains($"baseline noise (the task's filler token {task.Filler})", md);
        Assert.True(File.Exists(Path.Combine(outDir, "heatmap-decomposition-0.png")));
    }

    /// <summary>On the run's own model and task inputs: the decomposition reproduces every layer's cell output, the
    /// rollout is row-stochastic, and kink-aware IG from the filler meets the completeness bound.</summary>
    [Theory]
    [InlineData("associative-recall")]
    [InlineData("missing-duplicate")]
    public void DecompositionAndCompletenessHoldOnTheTasksInputs(string name)
    {
        var (task, run) = runs.Runs[name];
        using var model = Checkpoint.LoadModel(run, CPU);
        model.to(float64);
        model.eval();
        using var batch = task.Sample(4, 11, TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, task, batch);
        using (no_grad())
        {
            var (layers, _) = ModelTrace.Run(model, cases.Tokens);
            for (var l = 0; l < layers.Length; l++)
            {
                var cell = model.Blocks[l].Cell;
                var y = cell.call(layers[l].CellInput, null).Output;
                var h = CellDecomposition.Of((IMinCell)cell, layers[l].CellInput).Hidden();
                Assert.True((((IMinCell)cell).Output(h) - y).abs().max().item<double>() < 1e-12, $"layer {l}");
            }
            Assert.True((Rollout.Of(model, cases.Tokens).sum(-1) - 1).abs().max().item<double>() < 1e-12);
        }
        var ig = (IntegratedGradients)AttributionMethods.Create("ig", new IgOptions(64), cases.Filler);
        var result = ig.AttributeWithDelta(model, cases.Tokens, cases.Targets);
        var worst = (result.Delta.abs() / result.Difference.abs()).max().item<double>();
        Assert.True(worst <= 1e-3, $"{name}: |delta| / |F(x) − F(x')| up to {worst:E2}");
    }

    [Fact]
    public void TasksWithoutAMaskAreRefusedInOneLineAndNothingIsWritten()
    {
        using var tmp = new TempFolder();
        var outDir = tmp["explain"];
        var (code, _, err) = Minrnn("explain", "--run", runs.Runs["parity"].Dir, "--out", outDir, "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Contains("--run: explain needs a task with a relevance mask (this run is parity; tasks: selective-copy|missing-duplicate|associative-recall)", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(outDir));
    }
}
