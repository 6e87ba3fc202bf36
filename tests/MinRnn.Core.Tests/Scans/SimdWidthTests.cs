using MinRnn.Tests.Cli;

namespace MinRnn.Tests.Scans;

/// <summary>The fused scans on 256- and 512-bit registers (MINRNN_SIMD) train the same model: every min cell's step is
/// elementwise, so the two widths give the same bits, and Mamba's differ only in the order of its B/C partial sums.
/// In-process tests run the width this CPU picks; these pin each one in its own process.</summary>
public class SimdWidthTests
{
    [Theory]
    [InlineData("mingru", true)]
    [InlineData("minlstm", true)]
    [InlineData("mamba", false)]
    public void BothWidthsTrainTheSameModel(string model, bool bitwise)
    {
        using var tmp = new TempFolder();
        string[] Train(string width) =>
            ["train", "--model", model, "--layers", "1", "--seq-len", "12", "--tokens", "2", "--vocab", "6", "--dim", "40",
             "--scan", "fused", "--steps", "4", "--batch", "8", "--eval-every", "1", "--eval-size", "16", "--device", "cpu",
             "--quiet", "--out", tmp[width]];
        foreach (var width in new[] { "256", "512" })
        {
            var (code, _, err) = MinrnnProcess.Run(Train(width), new Dictionary<string, string> { ["MINRNN_SIMD"] = width });
            Assert.True(code == 0, err);
        }
        var (a, b) = (Losses(tmp["256"]), Losses(tmp["512"]));
        Assert.Equal(8, a.Count);
        if (bitwise) Assert.Equal(a, b);
        else for (var i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i], 5);
    }

    /// <summary>The variable reaches the kernels' choice: bench reports the width it ran with.</summary>
    [Theory]
    [InlineData("256")]
    [InlineData("512")]
    public void BenchReportsTheWidthTheVariableChose(string width)
    {
        using var tmp = new TempFolder();
        var json = tmp["bench.json"];
        var (code, _, err) = MinrnnProcess.Run(["bench", "train", "--models", "mingru", "--scans", "fused", "--seq-lens", "8",
            "--batch", "2", "--dim", "8", "--hidden", "16", "--warmup", "0", "--repeats", "1", "--budget", "0", "--in-process",
            "--json", json], new Dictionary<string, string> { ["MINRNN_SIMD"] = width });
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(int.Parse(width), doc.RootElement.GetProperty("machine").GetProperty("SimdBits").GetInt32());
    }

    /// <summary>Every step's training and evaluation loss in metrics.jsonl.</summary>
    private static List<double> Losses(string run) =>
        [.. File.ReadLines(Path.Combine(run, "metrics.jsonl"))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .SelectMany(row => new[] { row.GetProperty("train_loss").GetDouble(), row.GetProperty("loss").GetDouble() })];
}
