using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>predict --data on runs trained on numeric rows (F = 3 features a step, far from standardised): ONNX Runtime
/// (--onnx, the standardisation inside the graph) gives TorchSharp's (--run) classes and probabilities on rows of mixed
/// lengths, for every kind (classify) and for per-step labels, and both equal a softmax over the class logits of each row
/// run alone; rows of another form or another F are refused naming the file, the line and the field.</summary>
public sealed class PredictNumericRowsCliTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>The rows to predict: lengths 1 … 8 in no order (the training rows are 1 … 8 steps, so T = 8 cuts none).</summary>
    private static readonly int[] Lengths = [3, 1, 8, 5, 2, 7, 4];

    /// <summary>A step of three features on scales far apart (means 50, −3, 0.01): the model's standardisation matters.</summary>
    private static double[] Step(Random random) => [50 + 10 * random.NextDouble(), -3 + random.NextDouble(), 0.01 * random.NextDouble()];

    private static double[][] Steps(Random random, int length) => [.. Enumerable.Range(0, length).Select(_ => Step(random))];

    /// <summary>A 1-layer model of `cell` (d = 16) trained a few steps on 60 numeric rows, and its export.</summary>
    private (string Run, string Onnx) Trained(string task, string cell)
    {
        var random = new Random(7);
        var data = folder[$"{task}-{cell}.jsonl"];
        File.WriteAllLines(data, Enumerable.Range(0, 60).Select(i =>
        {
            var steps = Steps(random, 1 + i % 8);
            return task == StepLabels.TaskName
                ? JsonSerializer.Serialize(new { input = steps, labels = steps.Select(s => s[0] > 55 ? "high" : "low") })
                : JsonSerializer.Serialize(new { input = steps, label = steps.Average(s => s[0]) > 55 ? "high" : "low" });
        }));
        var (run, onnx) = (folder[$"{task}-{cell}-run"], folder[$"{task}-{cell}.onnx"]);
        var (code, stdout, err) = Minrnn.Run("train", "--task", task, "--data", data, "--model", cell, "--layers", "1", "--dim", "16",
            "--steps", "20", "--batch", "16", "--eval-every", "20", "--device", "cpu", "--quiet", "--out", run);
        Assert.True(code == 0, err + stdout);
        (code, _, err) = Minrnn.Run("export", "--run", run, "--out", onnx);
        Assert.True(code == 0, err);
        return (run, onnx);
    }

    private string Rows(string name, IEnumerable<object> inputs)
    {
        var path = folder[name];
        File.WriteAllLines(path, inputs.Select(input => JsonSerializer.Serialize(new { input })));
        return path;
    }

    [Theory]
    [InlineData("classify", "mingru")]
    [InlineData("classify", "minlstm")]
    [InlineData("classify", "gru")]
    [InlineData("classify", "lstm")]
    [InlineData("classify", "mamba")]
    [InlineData("classify", "transformer")]
    [InlineData("label", "minlstm")]
    [InlineData("label", "transformer")]
    public void OnnxEqualsTorchSharpAndBothEqualEachRowAlone(string taskName, string cell)
    {
        var (run, onnx) = Trained(taskName, cell);
        var random = new Random(11);
        var inputs = Lengths.Select(t => Steps(random, t)).ToArray();
        var rows = Rows("predict.jsonl", inputs);
        var sharp = PredictRowsCliTests.Predict("--run", run, "--data", rows, "--out", folder["torch.jsonl"], "--batch-size", "3", "--device", "cpu");
        var ort = PredictRowsCliTests.Predict("--onnx", onnx, "--data", rows, "--out", folder["ort.jsonl"], "--batch-size", "3");
        Assert.Equal(Lengths.Length, sharp.Length);
        Assert.Equal(Lengths.Length, ort.Length);

        var task = (LabelledTask)RunFiles.ReadConfig(run).Task;
        Assert.Equal(3, task.InputFeatures);
        using var model = Checkpoint.LoadModel(run, CPU);
        using var noGrad = no_grad();
        var classes = ((ISequenceTask)task).Classes!;
        for (var r = 0; r < Lengths.Length; r++)
        {
            Assert.Equal(r + 1, ort[r]["line"]!.GetValue<int>());
            Assert.True(JsonNode.DeepEquals(sharp[r]["prediction"], ort[r]["prediction"]), $"row {r}: {sharp[r]["prediction"]} vs {ort[r]["prediction"]}");
            var (t, o) = (PredictRowsCliTests.Probabilities(sharp[r]), PredictRowsCliTests.Probabilities(ort[r]));
            RelativeError.AssertWithin(o, t, 1e-4, 1.0, $"{taskName} {cell} row {r}: ONNX vs TorchSharp");
            // independent: the row alone, unpadded, from its raw numbers; softmax over the class logits in float64
            var values = inputs[r].SelectMany(s => s.Select(x => (float)x)).ToArray();
            using var logits = model.Logits(tensor(values, [1, Lengths[r], 3]))[0].narrow(-1, classes.First, classes.Count).to(float64);
            var steps = taskName == Classify.TaskName ? [Lengths[r] - 1] : Enumerable.Range(0, Lengths[r]).ToArray();
            var expected = steps.SelectMany(s => logits[s].softmax(0).data<double>().ToArray()).ToArray();
            RelativeError.AssertWithin(t, expected, 1e-5, 1.0, $"{taskName} {cell} row {r}: batched vs alone");
        }
    }

    /// <summary>Token ids, text, steps of 2 features, rows of mixed F, and --input tokens for the numeric model: one line
    /// naming the file, the line and the field, exit code 2, the output as it was.</summary>
    [Fact]
    public void RowsOfAnotherFormOrAnotherFAreRefused()
    {
        var (_, onnx) = Trained(Classify.TaskName, "gru");
        var cases = new (string File, string[] Lines, string Message)[]
        {
            ("tokens.jsonl", ["""{"input": [1, 2]}"""], "tokens.jsonl line 1: input: tokens, but the task reads numeric"),
            ("text.jsonl", ["""{"input": "ab"}"""], "text.jsonl line 1: input: text, but the task reads numeric"),
            ("f2.jsonl", ["""{"input": [[1, 2], [3, 4]]}"""], "f2.jsonl line 1: input[0]: steps of 2 features, but the task reads 3"),
            ("mixed-f.jsonl", ["""{"input": [[1, 2, 3]]}""", """{"input": [[1, 2]]}"""], "mixed-f.jsonl line 2: input: steps of 2 features, but line 1's have 3"),
        };
        var output = folder["out.jsonl"];
        File.WriteAllText(output, "before\n");
        foreach (var (file, lines, message) in cases)
        {
            File.WriteAllLines(folder[file], lines);
            var (code, _, err) = Minrnn.Run("predict", "--onnx", onnx, "--data", folder[file], "--out", output);
            Assert.Equal(2, code);
            Assert.Contains(message, err);
            Assert.StartsWith("minrnn predict: --data: ", err);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Equal("before\n", File.ReadAllText(output));
        }
        File.WriteAllText(folder["tokens.json"], "[[1, 2]]");
        var (inputCode, _, inputErr) = Minrnn.Run("predict", "--onnx", onnx, "--input", folder["tokens.json"], "--out", output);
        Assert.Equal(2, inputCode);
        Assert.Contains("--input: the model reads numeric steps of 3 features, not token ids", inputErr);
        Assert.Equal("before\n", File.ReadAllText(output));
    }

    /// <summary>A token model refuses numeric rows the same way.</summary>
    [Fact]
    public void ATextModelRefusesNumericRows()
    {
        var data = folder["text.jsonl"];
        File.WriteAllLines(data, Enumerable.Range(0, 40).Select(i => JsonSerializer.Serialize(new { input = new string('a', 1 + i % 5) + "b", label = (i % 2).ToString(CultureInfo.InvariantCulture) })));
        var (run, onnx) = (folder["text-run"], folder["text.onnx"]);
        var (code, _, err) = Minrnn.Run("train", "--task", "classify", "--data", data, "--model", "mingru", "--layers", "1", "--dim", "8",
            "--steps", "2", "--batch", "8", "--eval-every", "2", "--device", "cpu", "--quiet", "--out", run);
        Assert.True(code == 0, err);
        (code, _, err) = Minrnn.Run("export", "--run", run, "--out", onnx);
        Assert.True(code == 0, err);
        var rows = Rows("numeric.jsonl", [new[] { new[] { 1.0, 2.0 } }]);
        (code, _, err) = Minrnn.Run("predict", "--onnx", onnx, "--data", rows, "--out", folder["p.jsonl"]);
        Assert.Equal(2, code);
        Assert.Contains("numeric.jsonl line 1: input: numeric, but the task reads text", err);
        Assert.False(File.Exists(folder["p.jsonl"]));
    }
}
