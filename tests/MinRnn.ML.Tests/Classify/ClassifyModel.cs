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
        (Run, Onnx, OnnxAnswers, TorchAnswers) = Train(folder,
            Enumerable.Range(0, 60).Select(i => Training[i % Training.Length] + "abc"[i % 3]).Select(s => (object)new { input = s, label = LabelOf(s) }),
            Texts.Select(s => (object)new { input = s }));
    }

    /// <summary>Trains on `rows`, exports, and answers `predict` with `minrnn predict --onnx` and `--run`.</summary>
    internal static (string Run, string Model, (string, Dictionary<string, double>)[] OnnxAnswers, (string, Dictionary<string, double>)[] TorchAnswers) Train(
        TempFolder folder, IEnumerable<object> rows, IEnumerable<object> predict)
    {
        var data = folder["train.jsonl"];
        File.WriteAllLines(data, rows.Select(r => JsonSerializer.Serialize(r)));
        var (run, onnx) = (folder["run"], folder["model.onnx"]);
        Cli("train", "--task", "classify", "--data", data, "--model", "mingru", "--layers", "1", "--dim", "16", "--conv", "3",
            "--steps", "60", "--batch", "16", "--eval-every", "60", "--device", "cpu", "--seed", "0", "--quiet", "--out", run);
        Cli("export", "--run", run, "--out", onnx);
        var path = folder["predict.jsonl"];
        File.WriteAllLines(path, predict.Select(r => JsonSerializer.Serialize(r)));
        return (run, onnx, Predict("--onnx", onnx, "--data", path, "--out", folder["onnx.jsonl"], "--batch-size", "4"),
            Predict("--run", run, "--data", path, "--out", folder["run.jsonl"], "--batch-size", "4", "--device", "cpu"));
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
            .Select(o => (o["prediction"]!.ToString(), o["probabilities"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>())))];
    }

    public void Dispose() => folder.Dispose();
}

/// <summary>A tiny classify model on token-id rows with integer labels (the sum of the ids mod 3, named 10, 20, 30 so a
/// class's name is not its index), trained like <see cref="ClassifyModel"/>, with `minrnn predict` answers.</summary>
public sealed class IntegerLabelModel : IDisposable
{
    private readonly TempFolder folder = new();

    public static int LabelOf(long[] ids) => 10 * (1 + (int)(ids.Sum() % 3));

    public static readonly long[][] Rows = [.. Enumerable.Range(0, 15).Select(i => Enumerable.Range(0, 1 + i * 7 % 11).Select(t => (long)((i * 5 + t * 3) % 6)).ToArray())];

    public IntegerLabelModel() =>
        (Run, Onnx, OnnxAnswers, _) = ClassifyModel.Train(folder,
            Enumerable.Range(0, 60).Select(i => Enumerable.Range(0, 1 + i % 9).Select(t => (long)((i + t * t) % 6)).ToArray()).Select(r => (object)new { input = r, label = LabelOf(r) }),
            Rows.Select(r => (object)new { input = r }));

    public string Run { get; }

    public string Onnx { get; }

    public (string Class, Dictionary<string, double> Probabilities)[] OnnxAnswers { get; }

    public void Dispose() => folder.Dispose();
}
