using MinRnn.Training;

namespace MinRnn.Tests.Cli;

/// <summary>`--force` (and every command that replaces an output) checks all input before it replaces anything, and
/// replaces only once the new output exists: a failing invocation leaves the old output byte for byte.</summary>
public class ForceTests(ForceFixture fixture) : IClassFixture<ForceFixture>
{
    private static string[] Tiny => ForceFixture.Tiny;

    private static Dictionary<string, string> Snapshot(string dir) => ForceFixture.Snapshot(dir);

    private static string CopyOfRun(string run, string to) => ForceFixture.CopyOfRun(run, to);

    private const string Old = "the old output\n";

    /// <summary>Path → SHA-256 of every file below a folder.</summary>
    private static void Fails(int expectedCode, params string[] args)
    {
        var (code, _, err) = MinrnnProcess.Run(args);
        Assert.True(code == expectedCode, $"exit {code} (expected {expectedCode}): {err}");
        var lines = err.Trim().Split('\n');
        Assert.StartsWith("minrnn ", lines[^1]);                        // the error: one line, last (train prints its banner first)
        Assert.True(lines.Length <= 2, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void TrainForceKeepsTheOldRunUntilTheNewOneIsComplete()
    {
        using var tmp = new TempFolder();
        var run = CopyOfRun(fixture.Run, tmp["run"]);
        var before = Snapshot(run);
        File.WriteAllBytes(tmp["bad.safetensors"], [1, 2, 3, 4, 5, 6, 7, 8, 9]);

        if (!TorchSharp.torch.cuda.is_available())
            Fails(2, ["train", .. Tiny, "--out", run, "--force", "--device", "cuda"]);
        Fails(2, ["train", .. Tiny, "--out", run, "--force", "--init-from", tmp["bad.safetensors"]]);
        Fails(2, ["train", .. Tiny, "--out", run, "--force", "--init-from", tmp["missing.safetensors"]]);
        Fails(2, ["train", .. Tiny, "--out", run, "--force", "--layers", "0"]);
        Fails(2, ["train", .. Tiny, "--out", run, "--force", "--resume"]);
        Assert.Equal(before, Snapshot(run));

        var (code, _, err) = MinrnnProcess.Run(["train", .. Tiny, "--out", run, "--force", "--seed", "7"]);
        Assert.True(code == 0, err);
        Assert.Equal(7, RunFiles.ReadSummary(run).Seed);
        Assert.Equal(7, Checkpoint.ReadState(run).Config.Train.Seed);
        Assert.False(Path.Exists(Path.Combine(run, ".force-new")));
        Assert.False(Path.Exists(Path.Combine(run, ".replaced")));
        Assert.Equal(before.Keys.Order(), Snapshot(run).Keys.Order());
    }

    [Fact]
    public void DataForce()
    {
        using var tmp = new TempFolder();
        var file = tmp["d.jsonl"];
        File.WriteAllText(file, Old);
        Fails(2, "data", "parity", "--count", "3", "--out", file, "--force", "--seq-len", "0");
        Fails(2, "data", "parity", "--count", "3", "--out", file, "--force", "--split", "test");
        Assert.Equal(Old, File.ReadAllText(file));
        Assert.Equal(0, MinrnnProcess.Run("data", "parity", "--count", "3", "--out", file, "--force").Code);
        Assert.Equal(3, File.ReadAllLines(file).Length);
        Assert.Equal([Path.GetFileName(file)], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ExportForce()
    {
        using var tmp = new TempFolder();
        var file = tmp["w.safetensors"];
        File.WriteAllText(file, Old);
        Fails(2, "export", "--run", tmp["missing"], "--out", file, "--format", "safetensors", "--force");
        Fails(2, "export", "--run", fixture.Run, "--out", file, "--format", "safetensors", "--force", "--verify");
        Fails(2, "export", "--run", fixture.Run, "--out", file, "--format", "npz", "--force");
        Assert.Equal(Old, File.ReadAllText(file));
        Assert.Equal(0, MinrnnProcess.Run("export", "--run", fixture.Run, "--out", file, "--format", "safetensors", "--force").Code);
        Assert.NotEqual(Old, File.ReadAllText(file));
        Assert.Equal([Path.GetFileName(file)], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void CompareForce()
    {
        using var tmp = new TempFolder();
        var out_ = tmp["cmp"];
        Directory.CreateDirectory(out_);
        File.WriteAllText(Path.Combine(out_, "stats.json"), Old);
        File.WriteAllText(Path.Combine(out_, "report.md"), Old);
        Fails(2, "compare", "--runs", fixture.Run, "--out", out_, "--force", "--by", "colour");
        Fails(2, "compare", "--runs", tmp["missing"], "--out", out_, "--force");
        Fails(2, "compare", "--runs", fixture.Run, "--out", out_, "--force", "--baseline", "transformer");
        Fails(2, "compare", "--runs", fixture.Run, "--out", out_, "--force", "--direction", "sideways");
        Assert.Equal(Old, File.ReadAllText(Path.Combine(out_, "stats.json")));
        var (code, _, err) = MinrnnProcess.Run("compare", "--runs", fixture.Run, "--out", out_, "--force");
        Assert.True(code == 0, err);
        Assert.NotEqual(Old, File.ReadAllText(Path.Combine(out_, "stats.json")));
        Assert.NotEqual(Old, File.ReadAllText(Path.Combine(out_, "report.md")));
        Assert.False(Path.Exists(Path.Combine(out_, ".compare-new")));

        // the direction: from the metric's name, or as --direction says
        Assert.Contains("\"direction\": \"higher_is_better\"", File.ReadAllText(Path.Combine(out_, "stats.json")));     // test_accuracy
        Assert.Equal(0, MinrnnProcess.Run("compare", "--runs", fixture.Run, "--out", out_, "--force", "--metric", "final_loss").Code);
        Assert.Contains("\"direction\": \"lower_is_better\"", File.ReadAllText(Path.Combine(out_, "stats.json")));
        Assert.Equal(0, MinrnnProcess.Run("compare", "--runs", fixture.Run, "--out", out_, "--force", "--metric", "final_loss", "--direction", "higher").Code);
        Assert.Contains("\"direction\": \"higher_is_better\"", File.ReadAllText(Path.Combine(out_, "stats.json")));
        Assert.Contains("Direction: **higher is better** for final_loss", File.ReadAllText(Path.Combine(out_, "report.md")));
    }

    [Fact]
    public void ExplainForce()
    {
        using var tmp = new TempFolder();
        var out_ = tmp["explain"];
        Directory.CreateDirectory(out_);
        File.WriteAllText(Path.Combine(out_, "explain.json"), Old);
        string[] quick = ["explain", "--run", fixture.Run, "--out", out_, "--force", "--method", "saliency", "--samples", "4", "--examples", "0", "--threads", "1"];
        if (!TorchSharp.torch.cuda.is_available())
            Fails(2, [.. quick, "--device", "cuda"]);
        Fails(2, [.. quick, "--ig-rule", "simpson"]);
        Fails(2, [.. quick[..2], tmp["missing"], .. quick[3..]]);
        Assert.Equal(Old, File.ReadAllText(Path.Combine(out_, "explain.json")));
        Assert.Single(Directory.GetFileSystemEntries(out_));
        var (code, _, err) = MinrnnProcess.Run([.. quick, "--device", "cpu"]);
        Assert.True(code == 0, err);
        Assert.NotEqual(Old, File.ReadAllText(Path.Combine(out_, "explain.json")));
        Assert.False(Path.Exists(Path.Combine(out_, ".explain-new")));
    }

    [Fact]
    public void BenchForceChecksEveryOptionFirst()
    {
        using var tmp = new TempFolder();
        var json = tmp["b.json"];
        File.WriteAllText(json, Old);
        string[] quick = ["bench", "train", "--json", json, "--out", tmp["bench"], "--force", "--in-process", "--models", "mingru", "--scans", "log",
            "--seq-lens", "8", "--batch", "2", "--dim", "4", "--hidden", "4", "--warmup", "0", "--repeats", "1", "--budget", "0", "--threads", "1"];
        Fails(2, [.. quick, "--rounds", "0"]);
        Fails(2, [.. quick, "--modes", "stream"]);
        Fails(2, [.. quick, "--device", "tpu"]);
        Assert.Equal(Old, File.ReadAllText(json));
        Assert.False(Directory.Exists(tmp["bench"]));
    }

    [Fact]
    public void PredictAndEvalKeepTheirOutputsOnBadInput()
    {
        using var tmp = new TempFolder();
        var run = CopyOfRun(fixture.Run, tmp["run"]);
        var out_ = tmp["out.json"];
        File.WriteAllText(out_, Old);
        File.WriteAllText(tmp["tokens.json"], "[[0, 1, 99]]");
        Fails(2, "predict", "--run", run, "--input", tmp["tokens.json"], "--out", out_, "--device", "cpu");
        Fails(2, "predict", "--run", run, "--input", tmp["missing.json"], "--out", out_);
        Assert.Equal(Old, File.ReadAllText(out_));

        var eval = Path.Combine(run, "eval-T10-K2.json");
        File.WriteAllText(eval, Old);
        var before = Snapshot(run);
        if (!TorchSharp.torch.cuda.is_available())
            Fails(2, "eval", "--run", run, "--device", "cuda");
        Fails(2, "eval", "--run", run, "--eval-size", "0");
        Assert.Equal(before, Snapshot(run));
    }
}
