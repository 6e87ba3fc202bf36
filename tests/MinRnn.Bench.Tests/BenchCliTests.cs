using System.Text.Json;

namespace MinRnn.Tests.Bench;

/// <summary>minrnn bench: --modes runs only the named modes (unknown modes and --modes with train are usage errors);
/// train rows carry their work, floor and matrix-product time; --rounds merges repeated runs; --device/--provider cuda
/// without a GPU is an error, or with --fallback-cpu the CPU's results and a warning; rows and JSON say where they ran.</summary>
public class BenchCliTests
{
    /// <summary>A tiny in-process bench run (B = 2, T = 8, d = 8, h = 16, no warm-up, 3 repeats): its JSON rows, stderr and folder.</summary>
    private static (List<JsonElement> Rows, string Err, string Dir) Bench(TempFolder folder, string kind, params string[] options)
    {
        var dir = folder.Path;
        var (code, stdout, err) = Minrnn.Run(Tiny(kind, dir, options));
        Assert.True(code == 0, err + stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, $"bench-{kind}.json")));
        return (json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.Clone()).ToList(), err, dir);
    }

    private static string[] Tiny(string kind, string dir, string[] options) =>
        ["bench", kind, "--models", "mingru,gru", "--seq-lens", "8", "--batch", "2", "--dim", "8", "--hidden", "16", "--warmup", "0",
         "--repeats", "3", "--budget", "0", "--in-process", "--out", dir, .. options];

    /// <summary>The JSON's "devices" of a bench run in dir.</summary>
    private static JsonElement Devices(string dir, string kind)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, $"bench-{kind}.json")));
        return json.RootElement.GetProperty("devices").Clone();
    }

    private static List<(string?, string?, string?)> Where(List<JsonElement> rows) =>
        [.. rows.Select(r => (r.GetProperty("device").GetString(), r.GetProperty("device_name").GetString(), r.GetProperty("provider").GetString()))];

    private static List<(string?, string?, string?)> Plan(List<JsonElement> rows) =>
        [.. rows.Select(r => (r.GetProperty("bench").GetString(), r.GetProperty("model").GetString(), r.GetProperty("scan").GetString()))];

    /// <summary>A GPU asked for and not there: one line naming the fall-back, exit code 2, no output folder.</summary>
    private static void FailsBeforeMeasuring(string kind, string[] options, string message)
    {
        using var tmp = new TempFolder();
        var (code, _, err) = Minrnn.Run(Tiny(kind, tmp["out"], options));
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Contains("add --fallback-cpu", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(tmp["out"]));
    }

    /// <summary>--device cuda where TorchSharp sees no GPU: one line, exit code 2, nothing written; with --fallback-cpu one
    /// warning line and the CPU's plan and results (auto = the fused scan, as on the CPU, not the GPU's log-space scan).</summary>
    [NoTorchCudaFact]
    public void DeviceCudaWithoutAGpuIsAnErrorOrWithFallbackTheCpu()
    {
        FailsBeforeMeasuring("train", ["--scans", "auto", "--device", "cuda"], "minrnn bench: --device cuda: TorchSharp sees no CUDA device");

        using var fallback = new TempFolder();
        var (rows, warned, dir) = Bench(fallback, "train", "--scans", "auto", "--device", "cuda", "--fallback-cpu");
        Assert.Equal(["minrnn bench: warning: --device cuda: TorchSharp sees no CUDA device"],
            warned.Split('\n').Where(l => l.Contains("warning")).Select(l => l[..l.IndexOf(" (", StringComparison.Ordinal)]));
        Assert.Equal([("train", "mingru", "fused"), ("train", "gru", "native")], Plan(rows));
        Assert.Equal([("cpu", "cpu", null), ("cpu", "cpu", null)], Where(rows));
        Assert.All(rows, r => Assert.True(r.GetProperty("median_ms").GetDouble() > 0 && r.GetProperty("floor_ms").GetDouble() > 0));
        var devices = Devices(dir, "train");
        Assert.Equal("cpu", devices.GetProperty("device").GetString());
        Assert.Contains("--device cuda", devices.GetProperty("warnings")[0].GetString());
    }

    /// <summary>--provider cuda where ONNX Runtime's CUDA provider cannot run: one line, exit code 2; with --fallback-cpu one
    /// warning line and the CPU's rows (the scan form alone, as asked: the chunked form is added on the GPU only).</summary>
    [NoCudaFact]
    public void ProviderCudaWithoutAGpuIsAnErrorOrWithFallbackTheCpu()
    {
        string[] onnx = ["--modes", "onnx", "--onnx-forms", "scan", "--provider", "cuda"];
        FailsBeforeMeasuring("infer", onnx, "minrnn bench: --provider cuda: the CUDA execution provider cannot run");

        using var fallback = new TempFolder();
        var (rows, warned, dir) = Bench(fallback, "infer", [.. onnx, "--fallback-cpu"]);
        Assert.Single(warned.Split('\n'), l => l.StartsWith("minrnn bench: warning: --provider cuda:", StringComparison.Ordinal));
        Assert.DoesNotContain(warned.Split('\n'), l => l.Contains("warning") && !l.Contains("--provider cuda"));
        Assert.Equal([("onnx", "mingru", "scan"), ("onnx", "gru", "native")], Plan(rows));
        Assert.Equal([("cpu", "cpu", "cpu"), ("cpu", "cpu", "cpu")], Where(rows));
        Assert.Equal("cpu", Devices(dir, "infer").GetProperty("provider").GetString());
    }

    /// <summary>On a GPU (TorchSharp built for CUDA): the layers and the floor on the device, the log-space scan in the plan,
    /// the GPU's name in every row, and the GPU memory note (TorchSharp 0.107 has no allocator statistics).</summary>
    [TorchCudaFact]
    public void DeviceCudaTimesTheLayersOnTheGpu()
    {
        using var tmp = new TempFolder();
        var (rows, err, dir) = Bench(tmp, "train", "--scans", "auto", "--device", "cuda");
        Assert.DoesNotContain("warning", err);
        Assert.Equal([("train", "mingru", "log"), ("train", "gru", "native")], Plan(rows));
        Assert.All(Where(rows), w => Assert.Equal(("cuda", null), (w.Item1, w.Item3)));
        Assert.All(Where(rows), w => Assert.NotEqual("cpu", w.Item2));
        Assert.All(rows, r => Assert.True(r.GetProperty("ratio_vs_baseline").ValueKind == JsonValueKind.Number || r.GetProperty("model").GetString() == "gru"));
        Assert.Contains("not measured", Devices(dir, "train").GetProperty("gpu_memory").GetString());
        Assert.StartsWith("TorchSharp on cuda", File.ReadAllText(Path.Combine(dir, "bench-train.md")));
    }

    /// <summary>On ONNX Runtime's CUDA provider: the whole-model rows there, with the chunked form added to the scan form.</summary>
    [CudaFact]
    public void ProviderCudaRunsTheOnnxRowsOnTheGpuWithTheChunkedForm()
    {
        using var tmp = new TempFolder();
        var (rows, err, _) = Bench(tmp, "infer", "--modes", "onnx", "--onnx-forms", "scan", "--provider", "cuda");
        Assert.DoesNotContain("warning", err);
        Assert.Equal([("onnx", "mingru", "scan"), ("onnx", "mingru", "chunked"), ("onnx", "gru", "native")], Plan(rows));
        Assert.All(Where(rows), w => Assert.Equal(("cuda", "cuda"), (w.Item1, w.Item3)));
    }

    [Fact]
    public void ModesOnnxRunsOnlyTheOnnxRows()
    {
        using var tmp = new TempFolder();
        var (rows, _, _) = Bench(tmp, "infer", "--modes", "onnx", "--onnx-forms", "scan", "--provider", "cpu");
        Assert.Equal(["onnx", "onnx"], rows.Select(r => r.GetProperty("bench").GetString()));
        Assert.Equal(["mingru", "gru"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.True(rows[0].GetProperty("ratio_vs_baseline").GetDouble() > 0);
        Assert.Equal([("cpu", "cpu", "cpu"), ("cpu", "cpu", "cpu")], Where(rows));               // ONNX Runtime rows: on the provider
    }

    /// <summary>bench train rows carry the work the step must do and its measured matrix products, and where they ran (the
    /// JSON's "devices" too); --rounds 2 runs every configuration twice and merges its rows. FLOPs by hand: a minGRU layer d = 8 → 2h = 32 → d with h = 16 multiplies
    /// 8·32 + 16·8 = 384 per token, 6× that forward + backward, over B·T = 2·8 tokens: 36,864; GRU adds the recurrent
    /// 16·48: 6·16·(8·48 + 16·48 + 16·8) = 122,880.</summary>
    [Fact]
    public void TrainRowsCarryWorkFloorAndMatmulTime()
    {
        using var tmp = new TempFolder();
        var (rows, err, dir) = Bench(tmp, "train", "--scans", "auto", "--rounds", "2", "--device", "cpu");
        Assert.Contains("[4/4] round 2", err);
        Assert.Equal(["mingru", "gru"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.Equal([36_864.0, 122_880.0], rows.Select(r => r.GetProperty("flops").GetDouble()));
        Assert.All(rows, r => Assert.True(r.GetProperty("matmul_ms").GetDouble() > 0 && r.GetProperty("floor_ms").GetDouble() > 0));
        Assert.All(rows, r => Assert.Equal((2, 6), (r.GetProperty("rounds").GetInt32(), r.GetProperty("repeats").GetInt32())));
        Assert.All(rows, r => Assert.True(Math.Abs(r.GetProperty("tokens_per_s").GetDouble() * r.GetProperty("median_ms").GetDouble() / 1e3 / (2 * 8) - 1) < 1e-9));
        Assert.StartsWith("| model |", File.ReadAllText(Path.Combine(dir, "bench-train.md")));     // the CPU's table, as before
        Assert.Contains("| matmuls ms |", File.ReadAllText(Path.Combine(dir, "bench-train.md")));
        Assert.Equal([("cpu", "cpu", null), ("cpu", "cpu", null)], Where(rows));                   // TorchSharp rows: no provider
        var devices = Devices(dir, "train");
        Assert.Equal(("cpu", "cpu", "cpu", "cpu", 0, JsonValueKind.Null), (devices.GetProperty("device").GetString(), devices.GetProperty("device_name").GetString(),
            devices.GetProperty("provider").GetString(), devices.GetProperty("provider_device_name").GetString(), devices.GetProperty("warnings").GetArrayLength(),
            devices.GetProperty("gpu_memory").ValueKind));
    }

    /// <summary>The new kinds in every mode: mamba once per scan, the transformer once; in onnx mamba in the asked form and
    /// the transformer in its default attention form (both exporters are in this build: no note skips them). Train rows carry
    /// their sequence mixing: the transformer's FLOPs grow faster than its length.</summary>
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
        Assert.Equal([("mamba", "scan"), ("transformer", "fused-attention")], rows.Where(r => r.Bench == "onnx").Select(r => (r.Model, r.Scan)));
        Assert.DoesNotContain("no ONNX exporter", err);

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

    /// <summary>--json FILE alone: the JSON there, the table and plot beside it under its name, and nothing else in
    /// the working folder (no stray bench/); an existing file is not replaced without --force.</summary>
    [Fact]
    public void JsonAloneWritesOnlyBesideTheNamedFile()
    {
        using var tmp = new TempFolder();
        var (work, json) = (tmp["work"], Path.Combine(tmp["results"], "t.json"));
        Directory.CreateDirectory(work);
        string[] args = [.. Tiny("train", "-", []).TakeWhile(a => a != "--out"), "--json", json];
        var (code, stdout, err) = Minrnn.Run(args, null, work);
        Assert.True(code == 0, err + stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        Assert.Equal(["t.json", "t.md", "t.png"], Directory.GetFiles(tmp["results"]).Select(Path.GetFileName).Order());
        Assert.Contains("| mingru | fused | 8 |", File.ReadAllText(Path.Combine(tmp["results"], "t.md")));

        var before = File.ReadAllText(json);
        (code, _, err) = Minrnn.Run(args, null, work);
        Assert.Equal(2, code);
        Assert.Contains($"--json: {json} exists (use --force to replace it)", err);
        Assert.Equal(before, File.ReadAllText(json));
    }

    /// <summary>--modes generate: one row per model and context position, only when asked; the state's bytes at position T
    /// against the shapes the cells document (B = 2, d = 8, h = 16, Mamba's N = 16 and conv k = 4): constant for the
    /// recurrent kinds, 2·h floats per position for the transformer's key–value cache.</summary>
    [Fact]
    public void GenerateRowsGiveTheStateAtEachContextPosition()
    {
        using var folder = new TempFolder();
        var dir = folder.Path;
        var (code, stdout, err) = Minrnn.Run(["bench", "infer", "--modes", "generate", "--models", "mingru,lstm,mamba,transformer", "--seq-lens", "8,16",
            "--scans", "auto", "--batch", "2", "--dim", "8", "--hidden", "16", "--warmup", "0", "--repeats", "3", "--budget", "0", "--in-process", "--out", dir]);
        Assert.True(code == 0, err + stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "bench-infer.json")));
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        const int b = 2, h = 16, f = sizeof(float);
        var expected = new Dictionary<(string, int), long>
        {
            [("mingru", 8)] = b * h * f, [("mingru", 16)] = b * h * f,
            [("lstm", 8)] = 2 * b * h * f, [("lstm", 16)] = 2 * b * h * f,
            [("mamba", 8)] = (b * h * 16 + b * 3 * h) * f, [("mamba", 16)] = (b * h * 16 + b * 3 * h) * f,
            [("transformer", 8)] = b * 8 * 2 * h * f, [("transformer", 16)] = b * 16 * 2 * h * f,
        };
        Assert.All(rows, r => Assert.Equal("infer-generate", r.GetProperty("bench").GetString()));
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(),
            rows.Select(r => KeyValuePair.Create((r.GetProperty("model").GetString()!, r.GetProperty("seq_len").GetInt32()), r.GetProperty("state_bytes").GetInt64()))
                .OrderBy(e => e.Key).ToList());
        Assert.All(rows, r => Assert.Equal(b / (r.GetProperty("median_ms").GetDouble() / 1e3), r.GetProperty("tokens_per_s").GetDouble(), 6));
        Assert.Contains("Generation (one layer)", File.ReadAllText(Path.Combine(dir, "bench-infer.md")));
    }

    [Theory]
    [InlineData("infer --modes tree", "--modes: 'tree' is not one of sequence|stream|onnx")]
    [InlineData("train --modes onnx", "--modes: only for bench infer")]
    [InlineData("infer --rounds 0", "--rounds: 0 is out of range [1, 100]")]              // before any measurement
    [InlineData("infer --device tpu", "--device: 'tpu' is not one of auto|cpu|cuda")]
    [InlineData("infer --provider gpu", "--provider: 'gpu' is not one of cpu|cuda")]
    [InlineData("train --provider cpu", "--provider: only for bench infer")]
    public void BadOptionsAreOneLineExitTwo(string arguments, string message)
    {
        using var tmp = new TempFolder();
        var (code, _, err) = Minrnn.Run(["bench", .. arguments.Split(' '), "--out", tmp.Path]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
    }
}
