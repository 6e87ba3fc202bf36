using System.Text.Json;
using System.Text.Json.Nodes;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>predict --data on a classify and a label run: ONNX Runtime (--onnx) gives TorchSharp's (--run) classes and
/// probabilities on rows of mixed lengths, and both equal a softmax over the class logits of each row run alone.</summary>
public sealed class PredictRowsCliTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static readonly string[] Texts = ["ab", "abcab c", "c", "bbbbbbbbbbaa", "ca b", "a", "acacacacacaca"];

    /// <summary>A 1-layer minGRU with a causal conv, trained a few steps and exported.</summary>
    private (string Run, string Onnx, string Rows) Trained(string task)
    {
        var data = folder[task + ".jsonl"];
        File.WriteAllLines(data, Enumerable.Range(0, 60).Select(i => Texts[i % Texts.Length] + "abc"[i % 3]).Select(s => task == StepLabels.TaskName
            ? JsonSerializer.Serialize(new { input = s, labels = s.Select(c => c == 'a' ? "a" : "other") })
            : JsonSerializer.Serialize(new { input = s, label = s.Count(c => c == 'a') })));
        var (run, onnx) = (folder[task + "-run"], folder[task + ".onnx"]);
        var (code, stdout, err) = Minrnn.Run("train", "--task", task, "--data", data, "--model", "mingru", "--layers", "1", "--dim", "16", "--conv", "3",
            "--steps", "20", "--batch", "16", "--eval-every", "20", "--device", "cpu", "--quiet", "--out", run);
        Assert.True(code == 0, err + stdout);
        (code, _, err) = Minrnn.Run("export", "--run", run, "--out", onnx);
        Assert.True(code == 0, err);
        var rows = folder[task + "-predict.jsonl"];
        File.WriteAllLines(rows, Texts.Select(s => JsonSerializer.Serialize(new { input = s + "z" })));   // 'z' was never seen: unknown
        return (run, onnx, rows);
    }

    internal static JsonObject[] Predict(params string[] args)
    {
        var (code, stdout, err) = Minrnn.Run(["predict", .. args]);
        Assert.True(code == 0, err + stdout);
        var output = args[Array.IndexOf(args, "--out") + 1];
        return [.. File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    [Theory]
    [InlineData("classify")]
    [InlineData("label")]
    public void OnnxEqualsTorchSharpAndBothEqualEachRowAlone(string taskName)
    {
        var (run, onnx, rows) = Trained(taskName);
        var sharp = Predict("--run", run, "--data", rows, "--out", folder["torch.jsonl"], "--batch-size", "3", "--device", "cpu");
        var ort = Predict("--onnx", onnx, "--data", rows, "--out", folder["ort.jsonl"], "--batch-size", "3");
        Assert.Equal(Texts.Length, sharp.Length);

        var task = (LabelledTask)RunFiles.ReadConfig(run).Task;
        using var model = Checkpoint.LoadModel(run, CPU);
        using var noGrad = no_grad();
        var classes = ((ISequenceTask)task).Classes!;
        for (var r = 0; r < Texts.Length; r++)
        {
            Assert.Equal(r + 1, sharp[r]["line"]!.GetValue<int>());
            Assert.True(JsonNode.DeepEquals(sharp[r]["prediction"], ort[r]["prediction"]), $"row {r}: {sharp[r]["prediction"]} vs {ort[r]["prediction"]}");
            var (t, o) = (Probabilities(sharp[r]), Probabilities(ort[r]));
            RelativeError.AssertWithin(o, t, 1e-4, 1.0, $"{taskName} row {r}: ONNX vs TorchSharp");
            // independent: the row alone, unpadded, softmax over the class logits in float64
            var ids = task.Encode(new LabelledRow(r + 1, [.. (Texts[r] + "z").EnumerateRunes().Select(c => c.Value)], []));
            using var logits = model.Logits(tensor(ids, [1, ids.Length]))[0].narrow(-1, classes.First, classes.Count).to(float64);
            var steps = taskName == Classify.TaskName ? [ids.Length - 1] : Enumerable.Range(0, ids.Length).ToArray();
            var expected = steps.SelectMany(s => logits[s].softmax(0).data<double>().ToArray()).ToArray();
            RelativeError.AssertWithin(t, expected, 1e-5, 1.0, $"{taskName} row {r}: batched vs alone");
        }
    }

    /// <summary>The class probabilities of a prediction line, steps then classes, in class order.</summary>
    internal static double[] Probabilities(JsonObject line) => line["probabilities"] is JsonArray steps
        ? [.. steps.SelectMany(s => s!.AsObject().Select(p => p.Value!.GetValue<double>()))]
        : [.. line["probabilities"]!.AsObject().Select(p => p.Value!.GetValue<double>())];

    [Fact]
    public void RowsOfAnotherFormOrAModelWithoutClassesAreRefused()
    {
        var (run, _, _) = Trained(Classify.TaskName);
        var tokens = folder["tokens.jsonl"];
        File.WriteAllLines(tokens, ["""{"input": [1, 2]}"""]);
        var (code, _, err) = Minrnn.Run("predict", "--run", run, "--data", tokens, "--out", folder["p.jsonl"], "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Contains("tokens.jsonl line 1: input: tokens, but the task reads text", err);
        Assert.False(File.Exists(folder["p.jsonl"]));
    }
}
