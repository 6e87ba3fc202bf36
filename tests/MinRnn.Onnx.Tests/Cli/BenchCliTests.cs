using System.Text.Json;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>minrnn bench: --modes runs only the named modes (unknown modes and --modes with train are usage errors);
/// train rows carry their work, floor and matrix-product time; --rounds merges repeated runs.</summary>
public class BenchCliTests
{
    /// <summary>A tiny in-process bench run (B = 2, T = 8, d = 8, h = 16, no warm-up, 3 repeats): its JSON rows, stderr and folder.</summary>
    private static (List<JsonElement> Rows, string Err, string Dir) Bench(TempFolder folder, string kind, params string[] options)
    {
        var dir = folder.Path;
        var (code, stdout, err) = Minrnn.Run(["bench", kind, "--models", "mingru,gru", "--seq-lens", "8", "--batch", "2", "--dim", "8",
            "--hidden", "16", "--warmup", "0", "--repeats", "3", "--budget", "0", "--in-process", "--out", dir, .. options]);
        Assert.True(code == 0, err + stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, $"bench-{kind}.json")));
        return (json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.Clone()).ToList(), err, dir);
    }

    [Fact]
    public void ModesOnnxRunsOnlyTheOnnxRows()
    {
        using var tmp = new TempFolder();
        var (rows, _, _) = Bench(tmp, "infer", "--modes", "onnx", "--onnx-forms", "scan");
        Assert.Equal(["onnx", "onnx"], rows.Select(r => r.GetProperty("bench").GetString()));
        Assert.Equal(["mingru", "gru"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.True(rows[0].GetProperty("ratio_vs_baseline").GetDouble() > 0);
    }

    /// <summary>bench train rows carry the work the step must do and its measured matrix products; --rounds 2 runs every
    /// configuration twice and merges its rows. FLOPs by hand: a minGRU layer d = 8 → 2h = 32 → d with h = 16 multiplies
    /// 8·32 + 16·8 = 384 per token, 6× that forward + backward, over B·T = 2·8 tokens: 36,864; GRU adds the recurrent
    /// 16·48: 6·16·(8·48 + 16·48 + 16·8) = 122,880.</summary>
    [Fact]
    public void TrainRowsCarryWorkFloorAndMatmulTime()
    {
        using var tmp = new TempFolder();
        var (rows, err, dir) = Bench(tmp, "train", "--scans", "auto", "--rounds", "2");
        Assert.Contains("[4/4] round 2", err);
        Assert.Equal(["mingru", "gru"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.Equal([36_864.0, 122_880.0], rows.Select(r => r.GetProperty("flops").GetDouble()));
        Assert.All(rows, r => Assert.True(r.GetProperty("matmul_ms").GetDouble() > 0 && r.GetProperty("floor_ms").GetDouble() > 0));
        Assert.All(rows, r => Assert.Equal((2, 6), (r.GetProperty("rounds").GetInt32(), r.GetProperty("repeats").GetInt32())));
        Assert.All(rows, r => Assert.True(Math.Abs(r.GetProperty("tokens_per_s").GetDouble() * r.GetProperty("median_ms").GetDouble() / 1e3 / (2 * 8) - 1) < 1e-9));
        Assert.Contains("| matmuls ms |", File.ReadAllText(Path.Combine(dir, "bench-train.md")));
    }

    /// <summary>The new kinds in every mode: mamba once per scan, the transformer once; in onnx either rows (their exporter is
    /// in this build) or the one-line note that skips them, never a crash. Train rows carry their sequence mixing: the
    /// transformer's FLOPs grow faster than its length.</summary>
    [Fact]
    public void NewKindsRunEveryModeOrAreSkippedWithANote()
    {
        using var tmp = new TempFolder();
        string[] tiny = ["--models", "mamba,transformer", "--scans", "fused,log", "--batch", "2", "--dim", "8", "--hidden", "16",
            "--warmup", "0", "--repeats", "3", "--budget", "0", "--in-process"];
        var (code, stdout, err) = Minrnn.Run(["bench", "infer", "--seq-lens", "8", "--onnx-forms", "scan", "--out", tmp.Path, .. tiny]);
        Assert.True(code == 0, err + stdout);
        var rows = Rows(tmp.Path, "infer");
        foreach (var mode in new[] { "infer-sequence", "infer-stream" })
            Assert.Equal([("mamba", "fused"), ("mamba", "log"), ("transformer", "native")], rows.Where(r => r.Bench == mode).Select(r => (r.Model, r.Scan)));
        foreach (var model in new[] { "mamba", "transformer" })
            Assert.True(rows.Any(r => r.Bench == "onnx" && r.Model == model) ^ err.Split('\n').Count(l => l.StartsWith("bench: no ONNX exporter for") && l.Contains(model)) == 1, model);

        (code, stdout, err) = Minrnn.Run(["bench", "train", "--seq-lens", "8,16", "--out", tmp.Path, "--force", .. tiny]);
        Assert.True(code == 0, err + stdout);
        var train = Rows(tmp.Path, "train").Where(r => r.Model == "transformer").Select(r => r.Flops).ToList();
        Assert.True(train[1] > 2 * train[0] && train.All(f => f > 0));
    }

    private static List<(string Bench, string Model, string Scan, double Flops)> Rows(string dir, string kind)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, $"bench-{kind}.json")));
        return [.. json.RootElement.GetProperty("results").EnumerateArray().Select(r =>
            (r.GetProperty("bench").GetString()!, r.GetProperty("model").GetString()!, r.GetProperty("scan").GetString()!, r.GetProperty("flops").GetDouble()))];
    }

    [Theory]
    [InlineData("infer --modes tree", "--modes: 'tree' is not one of sequence|stream|onnx")]
    [InlineData("train --modes onnx", "--modes: only for bench infer")]
    [InlineData("infer --rounds 0", "--rounds: 0 is out of range [1, 100]")]              // before any measurement
    public void BadOptionsAreOneLineExitTwo(string arguments, string message)
    {
        using var tmp = new TempFolder();
        var (code, _, err) = Minrnn.Run(["bench", .. arguments.Split(' '), "--out", tmp.Path]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
    }
}
