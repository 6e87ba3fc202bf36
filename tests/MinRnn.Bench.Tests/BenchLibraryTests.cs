using MinRnn.Bench;
using MinRnn.ML;
using MinRnn.Onnx.Export;
using MinRnn.Scans;
using TorchSharp;

namespace MinRnn.Tests.Bench;

/// <summary>The benchmark library without timing: the plan's cases from options, rounds combined, ratios against the
/// cell kind's baseline, and the floor's work and projection.</summary>
public class BenchLibraryTests
{
    private static readonly BenchOptions Infer = new("infer", ["mingru", "gru"], [ScanMode.Log, ScanMode.Sequential], [8, 16]);

    [Fact]
    public void InferPlanCrossesModesLengthsModelsAndScans()
    {
        var cases = BenchPlan.Cases(Infer);
        // per mode and length: mingru × 2 scans + gru once; onnx: mingru × 2 forms + gru (native) once
        Assert.Equal(3 * 2 * 3, cases.Count);
        Assert.Equal([("infer-sequence", "mingru", ScanMode.Log, 8), ("infer-sequence", "mingru", ScanMode.Sequential, 8), ("infer-sequence", "gru", ScanMode.Auto, 8),
                      ("infer-sequence", "mingru", ScanMode.Log, 16)],
            cases.Take(4).Select(c => (c.Bench, c.Model, c.Scan, c.SeqLen)));
        Assert.Equal([("mingru", "scan"), ("mingru", "chunked"), ("gru", "native")],
            cases.Where(c => c.Bench == "onnx" && c.SeqLen == 16).Select(c => (c.Model, c.OnnxForm)));
        Assert.All(cases, c => Assert.Equal((16, 64, 128, 2, 2), (c.Batch, c.Dim, c.Hidden, c.Threads, c.Layers)));
    }

    [Fact]
    public void ModesFormsAndMlNetNarrowThePlan()
    {
        var onnxOnly = BenchPlan.Cases(Infer with { Modes = ["onnx"], OnnxForms = ["scan"] });
        Assert.Equal(["mingru", "gru", "mingru", "gru"], onnxOnly.Select(c => c.Model));
        Assert.Empty(BenchPlan.Cases(Infer with { Modes = ["onnx"], OnnxForms = [] }));
        Assert.Equal(["train"], BenchPlan.Cases(Infer with { Kind = "train", Modes = ["onnx"] }).Select(c => c.Bench).Distinct());
        var mlnet = BenchPlan.Cases(Infer with { MlNetFiles = ["models/a.onnx"], MlNetRows = 32, MlNetOnly = true });
        Assert.Equal(MlNetBench.Modes, mlnet.Select(c => c.Bench));
        Assert.All(mlnet, c => Assert.Equal(("a", 32, Path.GetFullPath("models/a.onnx")), (c.Model, c.Batch, c.ModelFile)));
    }

    /// <summary>--onnx-forms names forms of every kind: each kind takes the asked forms it has, or its default form when
    /// it has none of them (GRU's native ops; the transformer's fused attention when only min-cell forms are asked).</summary>
    [Fact]
    public void EachKindTakesTheAskedFormsItHas()
    {
        List<(string, string)> Plan(params string[] forms) =>
            [.. BenchPlan.Cases(Infer with { Models = ["mingru", "gru", "transformer"], SeqLens = [8], Modes = ["onnx"], OnnxForms = forms })
                .Select(c => (c.Model, c.OnnxForm))];
        Assert.Equal([("mingru", "chunked"), ("gru", "native"), ("transformer", "fused-attention")], Plan("chunked"));
        Assert.Equal([("mingru", "scan"), ("gru", "native"), ("transformer", "attention"), ("transformer", "fused-attention")],
            Plan("attention", "fused-attention"));
        Assert.Equal(["scan", "chunked", "native", "attention", "fused-attention"], BenchPlan.Cases(Infer with
            { Models = ["mingru", "gru", "transformer"], SeqLens = [8], Modes = ["onnx"] }).Select(c => c.OnnxForm));   // all forms
        Assert.Equal(["fused-attention", "attention"], OnnxExporter.Forms("transformer"));
        Assert.Equal(OnnxAttention.Explicit, OnnxExporter.OptionsFor("transformer", "attention").Attention);
        Assert.Contains("not one of fused-attention|attention", Assert.Throws<ArgumentException>(() => OnnxExporter.OptionsFor("transformer", "chunked")).Message);
    }

    private static readonly BenchDevices Gpu = new(DeviceType.CUDA, ExecutionProvider.Cuda, []);

    /// <summary>On a GPU the plan holds the GPU forms whatever was asked: the log-space scan for the min cells on a CUDA
    /// device (auto means log there), the chunked ONNX form on the CUDA provider; every case carries its device and
    /// provider. The same options on the CPU plan what was asked. No GPU needed: this is the plan, nothing runs.</summary>
    [Fact]
    public void GpuPlansHoldTheLogSpaceScanAndTheChunkedForm()
    {
        var asked = Infer with { Scans = [ScanMode.Auto, ScanMode.Sequential], OnnxForms = ["scan"], MlNetFiles = ["models/a.onnx"] };
        List<(string, string, ScanMode, string)> Rows(List<BenchCase> cases, string bench) =>
            [.. cases.Where(c => c.Bench == bench && c.SeqLen is 8 or 0).Select(c => (c.Bench, c.Model, c.Scan, c.OnnxForm))];

        var gpu = BenchPlan.Cases(asked with { Devices = Gpu });
        Assert.Equal([("infer-sequence", "mingru", ScanMode.Log, "scan"), ("infer-sequence", "mingru", ScanMode.Sequential, "scan"),
                      ("infer-sequence", "gru", ScanMode.Auto, "scan")], Rows(gpu, "infer-sequence"));
        Assert.Equal([ScanMode.Log, ScanMode.Sequential], Rows(gpu, "infer-stream").Where(r => r.Item2 == "mingru").Select(r => r.Item3));
        Assert.Equal(["scan", "chunked", "native"], Rows(gpu, "onnx").Select(r => r.Item4));
        Assert.All(gpu, c => Assert.Equal((DeviceType.CUDA, ExecutionProvider.Cuda), (c.Device, c.Provider)));
        Assert.Equal(MlNetBench.Modes, gpu.Where(c => c.ModelFile is not null).Select(c => c.Bench));
        var train = BenchPlan.Cases(asked with { Kind = "train", Scans = [ScanMode.Sequential], Devices = Gpu with { Provider = ExecutionProvider.Cpu } });
        Assert.Equal([ScanMode.Log, ScanMode.Sequential, ScanMode.Auto], train.Where(c => c.SeqLen == 8).Select(c => c.Scan));
        Assert.DoesNotContain(BenchPlan.Cases(asked with { Modes = ["onnx"], OnnxForms = [], Devices = Gpu }), c => c.Bench == "onnx");   // none stays none

        var cpu = BenchPlan.Cases(asked);
        Assert.Equal([ScanMode.Auto, ScanMode.Sequential, ScanMode.Auto], Rows(cpu, "infer-sequence").Select(r => r.Item3));
        Assert.Equal(["scan", "native"], Rows(cpu, "onnx").Select(r => r.Item4));
        Assert.All(cpu, c => Assert.Equal((DeviceType.CPU, ExecutionProvider.Cpu), (c.Device, c.Provider)));
    }

    /// <summary>A row ran where its runtime did: TorchSharp rows on the device, ONNX Runtime and ML.NET rows on the provider.</summary>
    [Fact]
    public void RowsRunOnTheDeviceOrTheProviderByTheirRuntime()
    {
        var cases = BenchPlan.Cases(Infer with { Devices = Gpu with { Provider = ExecutionProvider.Cpu }, MlNetFiles = ["models/a.onnx"] });
        Assert.All(cases.Where(c => c.Bench.StartsWith("infer-")), c => Assert.Equal("cuda", BenchDevices.Of(c).Device));
        Assert.All(cases.Where(c => c.Bench.StartsWith("infer-")), c => Assert.Null(BenchDevices.Of(c).Provider));
        Assert.All(cases.Where(c => !c.Bench.StartsWith("infer-")), c => Assert.Equal(("cpu", "cpu", "cpu"), BenchDevices.Of(c)));
        Assert.NotEqual("cpu", BenchDevices.Of(cases[0]).DeviceName);
        Assert.Equal(("cpu", "cpu", null), BenchDevices.Of(BenchPlan.Cases(Infer)[0]));
    }

    [Fact]
    public void UnknownDevicesAreOneLineWithTheAllowedValues()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchDevices.Resolve("tpu", ExecutionProvider.Cpu, fallbackCpu: true));
        Assert.Equal("--device: 'tpu' is not one of auto|cpu|cuda", e.Message);
        var cpu = BenchDevices.Resolve("cpu", ExecutionProvider.Cpu, fallbackCpu: false);
        Assert.Equal((DeviceType.CPU, ExecutionProvider.Cpu, 0, true), (cpu.Device, cpu.Provider, cpu.Warnings.Count, cpu.IsCpu));
    }

    private static BenchResult Row(string bench, string model, double ms, double tokensPerSecond, int seqLen = 8, double? rows = null) =>
        new() { Bench = bench, Model = model, SeqLen = seqLen, MedianMs = ms, TokensPerSecond = tokensPerSecond, RowsPerSecond = rows };

    [Fact]
    public void RatiosAreAgainstTheCellKindsBaselineAtTheSameBenchAndLength()
    {
        var rows = BenchResults.WithRatios([
            Row("train", "mingru", 2, 0), Row("train", "gru", 8, 0), Row("train", "minlstm", 3, 0), Row("train", "lstm", 9, 0, seqLen: 16),
            Row("infer-sequence", "mingru", 1, 3e6), Row("infer-sequence", "gru", 1, 1e6),
            Row("mlnet", "m", 1, 0, rows: 50), Row("ort-rows", "m", 1, 0, rows: 200)]);
        Assert.Equal([0.25, null, null, null, 3.0, null, 0.25, null], rows.Select(r => r.RatioVsBaseline));
    }

    [Fact]
    public void RoundsCombineToTheMedianOfTheirMedians()
    {
        BenchResult Round(double median, double min, double max, double peak) =>
            Row("infer-sequence", "gru", median, 1e6 / median) with { MinMs = min, MaxMs = max, Repeats = 3, PeakMemoryMb = peak };
        var combined = BenchResults.Combine([Round(4, 3, 9, 10), Round(1, 0.5, 2, 30), Round(2, 1, 5, 20), Round(3, 2, 4, 5)]);
        Assert.Equal((2.5, 0.5, 9.0, 12, 30.0, 4), (combined.MedianMs, combined.MinMs, combined.MaxMs, combined.Repeats, combined.PeakMemoryMb, combined.Rounds));
        Assert.Equal(1e6 / 2.5, combined.TokensPerSecond, 6);
    }

    /// <summary>The FLOPs of BenchCliTests by hand (minGRU d = 8, h = 16: 8·32 + 16·8 per token; LSTM adds 16·64) and
    /// the floor: the slower of compute and memory.</summary>
    [Fact]
    public void FloorWorkAndProjection()
    {
        Assert.Equal((6.0 * 16 * (8 * 32 + 16 * 8), 4.0 * 16 * (4 * 8 + 2 * 16)), MachineFloor.TrainWork("mingru", 2, 8, 8, 16));
        Assert.Equal(6.0 * 16 * (8 * 64 + 16 * 64 + 16 * 8), MachineFloor.TrainWork("lstm", 2, 8, 8, 16).Flops);
        var floor = new MachineFloor(MatmulGflops: 100, BandwidthGBs: 10);
        Assert.Equal(2.0, floor.FloorMs((2e8, 1e6)), 12);         // compute-bound: 2e8 / 1e11 s
        Assert.Equal(3.0, floor.FloorMs((1e3, 3e7)), 12);         // memory-bound: 3e7 / 1e10 s
    }

    /// <summary>The sequence mixing by hand (d = 8, h = 16, B = 2, T = 8). Mamba: in_proj 8·32, x_proj 16·(1 + 2·16),
    /// dt_proj 1·16, out_proj 16·8, and four multiply–adds for each of the h·N = 16·16 states. Transformer: to_qkv 8·48,
    /// to_out 16·8, and its attention counted query by query: position i meets i + 1 keys in QKᵀ and as many values in
    /// AV, h multiply–adds each, so it grows with T² and the floor with it.</summary>
    [Fact]
    public void FloorCountsTheScanStatesAndTheCausalAttention()
    {
        Assert.Equal(6.0 * 16 * (8 * 32 + 16 * 33 + 1 * 16 + 16 * 8 + 4 * 16 * 16), MachineFloor.TrainWork("mamba", 2, 8, 8, 16).Flops);
        double Attention(int steps) => Enumerable.Range(0, steps).Sum(i => 2.0 * (i + 1) * 16);
        foreach (var steps in new[] { 1, 8, 64 })
            Assert.Equal(6.0 * 2 * (steps * (8 * 48 + 16 * 8) + Attention(steps)), MachineFloor.TrainWork("transformer", 2, steps, 8, 16).Flops, 9);
        Assert.Equal(MachineFloor.TrainWork("mingru", 2, 8, 8, 16).Bytes, MachineFloor.TrainWork("transformer", 2, 8, 8, 16).Bytes);
    }

    /// <summary>Mamba takes --scans like the min cells; the transformer runs once. A kind without an ONNX exporter has no onnx
    /// rows and is named for the note, whichever kinds the build exports (the exporters are given here); this build exports
    /// both, each in its two forms (no OnnxForms: every form).</summary>
    [Fact]
    public void NewKindsScanAndSkipOnnxWithoutAnExporter()
    {
        var options = new BenchOptions("infer", ["mamba", "transformer", "gru"], [ScanMode.Fused, ScanMode.Log], [8], Modes: ["sequence", "onnx"]);
        var cases = BenchPlan.Cases(options, exports: m => m == "gru");
        Assert.Equal([("infer-sequence", "mamba", ScanMode.Fused), ("infer-sequence", "mamba", ScanMode.Log), ("infer-sequence", "transformer", ScanMode.Auto),
                      ("infer-sequence", "gru", ScanMode.Auto), ("onnx", "gru", ScanMode.Auto)], cases.Select(c => (c.Bench, c.Model, c.Scan)));
        Assert.Equal(["mamba", "transformer"], BenchPlan.WithoutExporter(options, m => m == "gru"));
        // this build's exporters: mamba in both of its forms (scan, chunked), the transformer in both of its own
        Assert.Empty(BenchPlan.WithoutExporter(options));
        Assert.Equal(["mamba/scan", "mamba/chunked", "transformer/attention", "transformer/fused-attention", "gru/native"],
            BenchPlan.Cases(options).Where(c => c.Bench == "onnx").Select(c => $"{c.Model}/{c.OnnxForm}"));
        Assert.Empty(BenchPlan.WithoutExporter(options with { Modes = ["sequence"] }, m => m == "gru"));
        Assert.Empty(BenchPlan.WithoutExporter(options with { Kind = "train" }, m => m == "gru"));
    }

    [Fact]
    public void TheFirstRoundKeepsTheListedOrderLaterRoundsShuffle()
    {
        Assert.Equal(Enumerable.Range(0, 10), BenchRunner.Order(10, 0));
        var later = BenchRunner.Order(10, 1);
        Assert.Equal(Enumerable.Range(0, 10), later.Order());
        Assert.NotEqual(Enumerable.Range(0, 10), later);
        Assert.Equal(later, BenchRunner.Order(10, 1));
    }
}
