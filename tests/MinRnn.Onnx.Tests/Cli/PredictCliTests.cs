using MinRnn.Tests;
using System.Text.Json;
using MinRnn.Onnx.Graph;
using Onnx;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>minrnn predict: both back ends agree; bad input is one line with exit code 2 and leaves --out alone; a broken
/// or foreign model file is one line with exit code 1; CUDA is optional.</summary>
public sealed class PredictCliTests(TrainedRun run) : IClassFixture<TrainedRun>, IDisposable
{
    private readonly TempFolder inputs = new();

    public void Dispose() => inputs.Dispose();

    private string Input(string json)
    {
        var path = inputs[$"tokens-{Guid.NewGuid():N}.json"];
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void OnnxAndCheckpointGiveTheSamePredictions()
    {
        var input = Input("[[1,2,3,5,5,0,0],[4,4,5,1,2,0,0]]");
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var (code, _, err) = Minrnn.Run("predict", "--onnx", run.Onnx, "--input", input, "--out", Path.Combine(dir, "onnx.json"));
        Assert.True(code == 0, err);
        (code, _, err) = Minrnn.Run("predict", "--run", run.Run, "--input", input, "--out", Path.Combine(dir, "torch.json"), "--device", "cpu");
        Assert.True(code == 0, err);
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "onnx.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "torch.json")));
        Assert.Equal(b.RootElement.GetProperty("predictions").GetRawText(), a.RootElement.GetProperty("predictions").GetRawText());
        var (la, lb) = (Flat(a.RootElement.GetProperty("logits")), Flat(b.RootElement.GetProperty("logits")));
        Assert.Equal(2 * 7 * 6, la.Count);
        RelativeError.AssertWithin([.. la], [.. lb], 1e-4, RelativeError.Float32Floor, "logits");
    }

    /// <summary>Rows of different lengths, batched and padded (sorted by length, 2 per call), give every row what a call
    /// on that row alone gives, at its own length, in both back ends; and the back ends agree.</summary>
    [Fact]
    public void RaggedRowsEqualRowByRowInBothBackEnds()
    {
        var rows = new[] { "[1,2,3,5,5,0,0]", "[4]", "[4,4,5,1,2]", "[3,1]", "[2,2,2,2,2,2,2,2,2,1]" };
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        JsonElement Predict(string backEnd, string model, string json, int batchSize, string name)
        {
            var outPath = Path.Combine(dir, name + ".json");
            string[] device = backEnd == "--run" ? ["--device", "cpu"] : [];
            var (code, stdout, err) = Minrnn.Run(["predict", backEnd, model, "--input", Input(json), "--out", outPath, "--batch-size", $"{batchSize}", .. device]);
            Assert.True(code == 0, err);
            return JsonDocument.Parse(File.ReadAllText(outPath)).RootElement;
        }
        foreach (var (backEnd, model) in new[] { ("--onnx", run.Onnx), ("--run", run.Run) })
        {
            var batched = Predict(backEnd, model, $"[{string.Join(",", rows)}]", 2, backEnd[2..]);
            for (var r = 0; r < rows.Length; r++)
            {
                var alone = Predict(backEnd, model, $"[{rows[r]}]", 1, $"{backEnd[2..]}-{r}");
                var length = rows[r].Count(c => c == ',') + 1;
                Assert.Equal(length, batched.GetProperty("predictions")[r].GetArrayLength());
                Assert.Equal(alone.GetProperty("predictions")[0].GetRawText(), batched.GetProperty("predictions")[r].GetRawText());
                var (a, b) = (Flat(batched.GetProperty("logits")[r]), Flat(alone.GetProperty("logits")[0]));
                Assert.Equal(length * 6, a.Count);
                Assert.True(a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= 1e-5 * Math.Max(Math.Abs(p.Second), 1)), $"{backEnd} row {r}");
            }
        }
        var (onnx, torch) = (Flat(Predict("--onnx", run.Onnx, $"[{string.Join(",", rows)}]", 3, "o")), Flat(Predict("--run", run.Run, $"[{string.Join(",", rows)}]", 4, "t")));
        Assert.True(onnx.Zip(torch).All(p => Math.Abs(p.First - p.Second) <= 1e-5 * Math.Max(Math.Abs(p.Second), 1)));
    }

    [Theory]
    [InlineData("[[1,2.5,3]]", "row 0, position 1 is the number 2.5, not an integer token id")]
    [InlineData("[[1,\"2\",3]]", "row 0, position 1 is the string \"2\", not an integer token id")]
    [InlineData("[1,2,3]", "row 0 is the number 1, expected an array of token ids")]
    [InlineData("[[[1,2]]]", "row 0, position 0 is an array (input must be rank 2")]
    [InlineData("[[1,2,3],[],[1,2]]", "row 1 is an empty sequence (every sequence needs ≥ 1 token; rows may differ in length)")]
    [InlineData("[[1,2,6]]", "row 0, position 2 is token 6, outside the model's vocabulary [0, 6)")]
    [InlineData("[[-1]]", "row 0, position 0 is token -1, outside the model's vocabulary [0, 6)")]
    [InlineData("[]", "no sequences (an empty batch)")]
    [InlineData("[[]]", "row 0 is an empty sequence")]
    [InlineData("{\"tokens\": [[1]]}", "expected a JSON array of token sequences")]
    [InlineData("[[1,2", "not valid JSON")]
    public void BadInputIsOneLineExitTwoAndNothingOverwritten(string json, string message)
    {
        using var tmp = new TempFolder();
        var outPath = tmp["out.json"];
        File.WriteAllText(outPath, "keep");
        var (code, _, err) = Minrnn.Run("predict", "--onnx", run.Onnx, "--input", Input(json), "--out", outPath);
        Assert.Equal(2, code);
        Assert.Contains("minrnn predict: --input: " + message, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal("keep", File.ReadAllText(outPath));
    }

    [Fact]
    public void CheckpointPathChecksTheVocabularyToo()
    {
        using var tmp = new TempFolder();
        var outPath = tmp["out.json"];
        var (code, _, err) = Minrnn.Run("predict", "--run", run.Run, "--input", Input("[[7]]"), "--out", outPath, "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Contains("outside the model's vocabulary [0, 6)", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void TruncatedAndForeignModelsAreOneLineErrors()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var truncated = Path.Combine(dir, "truncated.onnx");
        var bytes = File.ReadAllBytes(run.Onnx);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        var g = new GraphBuilder("foreign");                                            // a valid ONNX model, not ours
        g.Input("x", TensorProto.Types.DataType.Float, 2);
        g.Output(g.Op("Relu", "x"), "y", TensorProto.Types.DataType.Float, 2);
        var proto = new ModelProto { IrVersion = 8, Graph = g.Graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        var foreign = Path.Combine(dir, "foreign.onnx");
        File.WriteAllBytes(foreign, Google.Protobuf.MessageExtensions.ToByteArray(proto));

        var text = Path.Combine(dir, "text.onnx");
        File.WriteAllText(text, "this is not a model");

        var input = Input("[[1,2]]");
        foreach (var (file, message) in new[] { (truncated, "truncated"), (foreign, "not a MinRnn model"), (text, "not an ONNX model") })
        {
            var (code, _, err) = Minrnn.Run("predict", "--onnx", file, "--input", input, "--out", Path.Combine(dir, "out.json"));
            Assert.Equal(2, code);
            Assert.Contains(message, err);
            Assert.Single(err.Trim().Split('\n'));
        }
        Assert.False(File.Exists(Path.Combine(dir, "out.json")));
    }

    [CudaFact]
    public void CudaPredictsWhatTheCpuPredicts()
    {
        var input = Input("[[1,2,3,5,5,0,0],[4,4,5,1,2,0,0]]");
        using var tmp = new TempFolder();
        var (code, _, err) = Minrnn.Run("predict", "--onnx", run.Onnx, "--input", input, "--out", tmp["cpu.json"], "--provider", "cpu");
        Assert.True(code == 0, err);
        (code, _, err) = Minrnn.Run("predict", "--onnx", run.Onnx, "--input", input, "--out", tmp["cuda.json"], "--provider", "cuda");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("warning:", err);                                      // no fall-back: it ran on the GPU
        using var cpu = JsonDocument.Parse(File.ReadAllText(tmp["cpu.json"]));
        using var cuda = JsonDocument.Parse(File.ReadAllText(tmp["cuda.json"]));
        Assert.Equal(cpu.RootElement.GetProperty("predictions").GetRawText(), cuda.RootElement.GetProperty("predictions").GetRawText());
        RelativeError.AssertWithin([.. Flat(cuda.RootElement.GetProperty("logits"))], [.. Flat(cpu.RootElement.GetProperty("logits"))],
            1e-4, RelativeError.Float32Floor, "logits");
    }

    [NoCudaFact]
    public void CudaWithoutCudaIsAnErrorOrAWarningWithFallback()
    {
        var input = Input("[[1,2]]");
        using var tmp = new TempFolder();
        var outPath = tmp["out.json"];
        var (code, _, err) = Minrnn.Run("predict", "--onnx", run.Onnx, "--input", input, "--out", outPath, "--provider", "cuda");
        Assert.Equal(2, code);                                                          // as bench: the option cannot be served here
        Assert.Contains("--provider cuda:", err);
        Assert.Contains("--fallback-cpu", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(outPath));

        (code, _, err) = Minrnn.Run("predict", "--onnx", run.Onnx, "--input", input, "--out", outPath, "--provider", "cuda", "--fallback-cpu");
        Assert.True(code == 0, err);
        Assert.Contains("warning:", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.True(File.Exists(outPath));
    }

    private static List<double> Flat(JsonElement root) => root.ValueKind == JsonValueKind.Object
        ? [.. FlatValues(root.GetProperty("logits")), .. FlatValues(root.GetProperty("predictions"))]
        : FlatValues(root);

    private static List<double> FlatValues(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? [.. e.EnumerateArray().SelectMany(Flat)]
        : [e.GetDouble()];
}
