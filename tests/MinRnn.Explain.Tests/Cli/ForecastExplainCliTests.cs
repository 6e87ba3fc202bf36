using System.Globalization;
using System.Text.Json.Nodes;
using MinRnn.Explain.Attribution;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Cli;

/// <summary>`minrnn explain` on a forecast run: explain.json holds each evaluation window's attributions of the sum of its
/// H forecasts over its T steps × features, equal to StepFeatureAttribution on the window alone, and their means by
/// distance from the window's last step.</summary>
public sealed class ForecastExplainCliTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ExplainJsonHoldsEachWindowsAttributions()
    {
        var random = new Random(5);
        File.WriteAllLines(folder["s.csv"], ["t,y,x", .. Enumerable.Range(0, 200).Select(t =>
            string.Create(CultureInfo.InvariantCulture, $"{t},{Math.Sin(2 * Math.PI * t / 8) + 0.1 * random.NextDouble():R},{random.NextDouble():R}"))]);
        var task = (Forecast)new Forecast().WithFiles(new TaskFiles(folder["s.csv"], Options: new Dictionary<string, string>
            { ["--target"] = "y", ["--features"] = "x", ["--horizon"] = "3", ["--seq-len"] = "10" }));
        var config = new RunConfig(new ModelConfig("gru", Layers: 2, Vocab: 3, Dim: 8, Features: 2), task,
            new TrainOptions(Steps: 10, Batch: 8, EvalEvery: 10, CheckpointEvery: 10, EvalSize: 16, Device: "cpu"));
        Trainer.Run(config, folder["run"]);

        var (code, _, err) = MinRnn.Tests.Cli.MinrnnProcess.Run("explain", "--run", folder["run"], "--out", folder["explain"], "--device", "cpu", "--samples", "5");
        Assert.True(code == 0, err);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder["explain"], "explain.json")))!;
        Assert.Equal(10, json["step_importance_from_end"]!["ixg"]!.AsArray().Count);
        Assert.Equal(10, json["step_importance_from_end"]!["occlusion"]!.AsArray().Count);
        var examples = json["examples"]!.AsArray();
        Assert.Equal(task.Windows().EvaluationSample(5), examples.Select(e => e!["origin"]!.GetValue<int>()));

        using var model = Checkpoint.LoadModel(folder["run"], CPU);
        model.to(float64);
        foreach (var example in examples)
        {
            var origin = example!["origin"]!.GetValue<int>();
            using var window = task.Inputs(task.Series(), [origin]).to(float64);
            using var expected = StepFeatureAttribution.GradientTimesInput(model, window, [9], null);
            var ixg = example["ixg"]!.AsArray();
            for (var t = 0; t < 10; t++)
                for (var k = 0; k < 2; k++)
                {
                    var (want, got) = (expected[0, t, k].item<double>(), ixg[t]![k]!.GetValue<double>());
                    Assert.True(Math.Abs(want - got) <= 1e-4 * Math.Max(1, Math.Abs(want)), $"origin {origin} step {t} feature {k}: {got} vs {want}");
                }
        }
    }
}
