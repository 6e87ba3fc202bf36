using System.Text.Json;
using MinRnn.ML;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>A task other than selective copying end to end through the CLI: train parity → export --verify → predict
/// --onnx on rows from `minrnn data parity`, equal to predict --run (TorchSharp).</summary>
public class TaskCliTests
{
    [Fact]
    public void ParityTrainsExportsAndPredicts()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var (run, onnx, rows) = (Path.Combine(dir, "run"), Path.Combine(dir, "parity.onnx"), Path.Combine(dir, "rows.jsonl"));
        var (code, stdout, err) = Minrnn.Run("train", "--task", "parity", "--seq-len", "12", "--model", "mingru", "--dim", "8", "--layers", "1",
            "--steps", "20", "--batch", "8", "--eval-every", "20", "--eval-size", "16", "--device", "cpu", "--quiet", "--out", run);
        Assert.True(code == 0, err + stdout);
        (code, stdout, err) = Minrnn.Run("export", "--run", run, "--out", onnx, "--verify");
        Assert.True(code == 0, err + stdout);
        Assert.Contains("verified", stdout);

        var info = SequenceModelInfo.Read(onnx);
        Assert.Equal(("parity", 12, "12", 2L), (info.Task, info.TaskSeqLen, info.TaskOptions["seq_len"], info.SpecialTokens["query"]));

        (code, _, err) = Minrnn.Run("data", "parity", "--count", "5", "--split", "eval", "--seq-len", "12", "--out", rows);
        Assert.True(code == 0, err);
        var inputs = File.ReadLines(rows).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToArray();
        var tokens = Path.Combine(dir, "tokens.json");
        File.WriteAllText(tokens, JsonSerializer.Serialize(inputs));

        var (viaOnnx, viaRun) = (Path.Combine(dir, "onnx.json"), Path.Combine(dir, "torch.json"));
        (code, _, err) = Minrnn.Run("predict", "--onnx", onnx, "--input", tokens, "--out", viaOnnx);
        Assert.True(code == 0, err);
        (code, _, err) = Minrnn.Run("predict", "--run", run, "--input", tokens, "--out", viaRun, "--device", "cpu");
        Assert.True(code == 0, err);
        using var a = JsonDocument.Parse(File.ReadAllText(viaOnnx));
        using var b = JsonDocument.Parse(File.ReadAllText(viaRun));
        var predictions = a.RootElement.GetProperty("predictions");
        Assert.Equal(5, predictions.GetArrayLength());
        Assert.Equal(13, predictions[0].GetArrayLength());
        Assert.Equal(b.RootElement.GetProperty("predictions").GetRawText(), predictions.GetRawText());
    }
}
