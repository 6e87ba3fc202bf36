using System.Text.Json;
using System.Text.Json.Nodes;

namespace MinRnn.ML.Tests.Classify;

/// <summary>A tiny classify model trained and exported by the built `minrnn` (a 1-layer minGRU with a causal conv, 60
/// steps) on text rows of mixed lengths, with `minrnn predict --onnx` and `--run` (TorchSharp) answers on other rows as
/// the independent references: class and probabilities per row, from the CLI's own encoder and softmax.</summary>
public sealed class ClassifyModel : IDisposable
{
    private readonly TempFolder folder = new();

    /// <summary>Classes in the model's (code-point) order: many, none, some. Rows' labels count the a's.</summary>
    public static string LabelOf(string text) => text.Count(c => c == 'a') switch { 0 => "none", < 3 => "some", _ => "many" };

    private static readonly string[] Training = ["ab", "abcab c", "c", "bbbbbbbbbbaa", "ca b", "a", "acacacacacaca", "bcb", "aaab", "cc bb"];

    /// <summary>Rows to predict: mixed lengths, an unseen character ('z': unknown), one row longer than the model's T (the
    /// longest training row), whose answer is read at step T as `minrnn predict` reads it. The first labels are some,
    /// none, many: another order than the model's.</summary>
    public static readonly string[] Texts =
        ["ab", "bc", "aaa", "cab", "zzz a", "bbbbbbbbbbbbb", "abacad", "c a b a a", "z", "b" + new string('a', 20) + "bc", "ca", "acacac", "ba", "bb", "aab"];

    public ClassifyModel()
    {
        var data = folder["train.jsonl"];
        File.WriteAllLines(data, Enumerable.Range(0, 60).Select(i => Training[i % Training.Length] + "abc"[i % 3])
            .Select(s => JsonSerializer.Serialize(new { input = s, label = LabelOf(s) })));
        (Run, Onnx) = (folder["run"], folder["model.onnx"]);
        Cli("train", "--task", "classify", "--data", data, "--model", "mingru", "--layers", "1", "--dim", "16", "--conv", "3",
            "--steps", "60", "--batch", "16", "--eval-every", "60", "--device", "cpu", "--seed", "0", "--quiet", "--out", Run);
        Cli("export", "--run", Run, "--out", Onnx);
        var rows = folder["predict.jsonl"];
        File.WriteAllLines(rows, Texts.Select(s => JsonSerializer.Serialize(new { input = s })));
        OnnxAnswers = Predict("--onnx", Onnx, "--data", rows, "--out", folder["onnx.jsonl"], "--batch-size", "4");
        TorchAnswers = Predict("--run", Run, "--data", rows, "--out", folder["run.jsonl"], "--batch-size", "4", "--device", "cpu");
    }

    public string Run { get; }

    public string Onnx { get; }

    /// <summary>`minrnn predict --onnx` per row: the class and the probabilities by class name.</summary>
    public (string Class, Dictionary<string, double> Probabilities)[] OnnxAnswers { get; }

    /// <summary>`minrnn predict --run` (TorchSharp) per row.</summary>
    public (string Class, Dictionary<string, double> Probabilities)[] TorchAnswers { get; }

    public string this[string name] => folder[name];

    private static void Cli(params string[] args)
    {
        var (code, output) = SampleTests.Minrnn(args);
        Assert.True(code == 0, $"minrnn {args[0]}: {output}");
    }

    private static (string, Dictionary<string, double>)[] Predict(params string[] args)
    {
        Cli(["predict", .. args]);
        return [.. File.ReadAllLines(args[Array.IndexOf(args, "--out") + 1]).Select(l => JsonNode.Parse(l)!.AsObject())
            .Select(o => (o["prediction"]!.GetValue<string>(), o["probabilities"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>())))];
    }

    public void Dispose() => folder.Dispose();
}
