using System.Text.Json.Nodes;
using MinRnn.Explain.Attribution;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Cli;

/// <summary>`minrnn explain` on a classify run of numeric steps: explain.json holds each evaluation row's attributions over
/// its own steps × features (equal to StepFeatureAttribution on the row alone) and their means; methods that need a
/// token model or a relevance mask are refused with nothing written.</summary>
public sealed class NumericExplainCliTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>A minGRU trained briefly on 40 rows of 2–6 steps of 2 features (class: the sign of feature 0's sum).</summary>
    private string Train()
    {
        var random = new Random(3);
        File.WriteAllLines(folder["rows.jsonl"], Enumerable.Range(0, 40).Select(_ =>
        {
            var steps = Enumerable.Range(0, random.Next(2, 7)).Select(_ => new[] { Math.Round(random.NextDouble() * 2 - 1, 3), Math.Round(50 + random.NextDouble() * 10, 3) }).ToArray();
            return new JsonObject { ["input"] = new JsonArray([.. steps.Select(s => (JsonNode)new JsonArray(s[0], s[1]))]), ["label"] = steps.Sum(s => s[0]) > 0 ? "pos" : "neg" }.ToJsonString();
        }));
        var task = (Classify)new Classify().WithFiles(new TaskFiles(folder["rows.jsonl"]));
        var config = new RunConfig(new ModelConfig("mingru", Layers: 2, Vocab: task.Vocabulary.Size, Dim: 8, Features: task.Features), task,
            new TrainOptions(Steps: 20, Batch: 8, EvalEvery: 20, CheckpointEvery: 20, EvalSize: 16, Device: "cpu"));
        Trainer.Run(config, folder["run"]);
        return folder["run"];
    }

    [Fact]
    public void ExplainJsonHoldsEachRowsAttributionsOverStepsAndFeatures()
    {
        var run = Train();
        var (code, _, err) = MinRnn.Tests.Cli.MinrnnProcess.Run("explain", "--run", run, "--out", folder["explain"], "--device", "cpu");
        Assert.True(code == 0, err);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder["explain"], "explain.json")))!;
        Assert.Equal(2, json["features"]!.GetValue<int>());
        var task = (Classify)RunFiles.ReadConfig(run).Task;
        var rows = LabelledRows.Read(task.Data, "data", LabelShape.PerRow).Rows.ToDictionary(r => r.Line);
        var examples = json["examples"]!.AsArray();
        Assert.Equal(task.EvaluationRows(64).Count, examples.Count);
        using var model = Checkpoint.LoadModel(run, CPU);
        model.to(float64);
        var sums = new double[2];
        var count = 0;
        foreach (var example in examples)
        {
            var row = rows[example!["line"]!.GetValue<int>()];
            var step = example["step"]!.GetValue<int>();
            Assert.Equal(row.Steps - 1, step);
            Assert.Equal(row.Labels[0], example["class"]!.GetValue<string>());
            var classToken = 1 + Array.IndexOf(task.ClassNames, row.Labels[0]);
            var alone = StepFeatureAttribution.GradientTimesInput(model, tensor(row.Values!, [1, row.Steps, 2]).to(float64), [step], [classToken]);
            var occlusion = StepFeatureAttribution.Occlusion(model, tensor(row.Values!, [1, row.Steps, 2]).to(float64), [step], [classToken]);
            var ixg = example["ixg"]!.AsArray();
            Assert.Equal(row.Steps, ixg.Count);
            for (var t = 0; t < row.Steps; t++)
            {
                for (var k = 0; k < 2; k++)
                {
                    var value = ixg[t]![k]!.GetValue<double>();
                    Assert.Equal(alone[0, t, k].item<double>(), value, 1e-4);
                    sums[k] += Math.Abs(value);
                }
                Assert.Equal(occlusion[0, t].item<double>(), example["occlusion"]![t]!.GetValue<double>(), 1e-4);
                count++;
            }
        }
        var means = json["feature_importance"]!["ixg"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        for (var k = 0; k < 2; k++) Assert.Equal(sums[k] / count, means[k], 1e-9);
        Assert.Equal(examples.Max(e => e!["step"]!.GetValue<int>()) + 1, json["step_importance_from_end"]!["occlusion"]!.AsArray().Count);
    }

    [Fact]
    public void MethodsForTokenModelsAreRefused()
    {
        var run = Train();
        foreach (var args in new[] { new[] { "--method", "saliency" }, ["--ig-steps", "8"] })
        {
            var (code, _, err) = MinRnn.Tests.Cli.MinrnnProcess.Run(["explain", "--run", run, "--out", folder["refused"], "--device", "cpu", .. args]);
            Assert.True(code == 2, err);
            Assert.Contains(args[0], err);
            Assert.Single(err.Trim().Split('\n'));
            Assert.False(Directory.Exists(folder["refused"]));
        }
    }
}
