using MinRnn.Cells;
using MinRnn.Onnx.Export;
using MinRnn.ML;
using MinRnn.Scans;
using TorchSharp;

namespace MinRnn.Bench;

/// <summary>What `minrnn bench train|infer` measures. Kind "train": forward + backward of one layer; "infer": the
/// Modes of whole-sequence evaluation ("sequence"), streaming ("stream"), one generated token at context position T
/// ("generate", GenerationBench) and whole models in ONNX Runtime ("onnx", in
/// each of OnnxForms for min cells, with OnnxLayers blocks). MlNetFiles: exported models timed through ML.NET and raw
/// ONNX Runtime on MlNetRows rows (MlNetOnly: nothing else). Scans apply to the kinds that take one (CellKind.Scans: the
/// min cells and Mamba); GRU/LSTM run TorchSharp's kernels. Devices: where the TorchSharp rows and the ONNX Runtime rows
/// run (the CPU unless set).</summary>
public sealed record BenchOptions(
    string Kind, IReadOnlyList<string> Models, IReadOnlyList<ScanMode> Scans, IReadOnlyList<int> SeqLens,
    int Batch = 16, int Dim = 64, int Hidden = 128, int Threads = 2, int Warmup = 5, int Repeats = 20, double BudgetSeconds = 15,
    int Rounds = 1, int StreamSteps = 256, IReadOnlyList<string>? Modes = null, IReadOnlyList<string>? OnnxForms = null,
    int OnnxLayers = 2, IReadOnlyList<string>? MlNetFiles = null, int MlNetRows = 256, bool MlNetOnly = false)
{
    public static readonly string[] Kinds = ["train", "infer"];
    public static readonly string[] AllModes = ["sequence", "stream", "onnx", "generate"];

    /// <summary>The modes `bench infer` runs unless --modes names others (generate only when asked: docs/BENCHMARKS.md).</summary>
    public static readonly string[] DefaultModes = ["sequence", "stream", "onnx"];
    public static readonly string[] AllOnnxForms = ["scan", "chunked", "attention", "fused-attention"];

    public BenchDevices Devices { get; init; } = BenchDevices.Cpu;
}

/// <summary>The cases of a benchmark: every bench × length × model × (kinds that take a scan) scan or ONNX form, in that
/// order, then the ML.NET rows of each model file. Kinds without an ONNX exporter have no onnx rows
/// (<see cref="WithoutExporter"/>); `exports` says which have one (default: this build's OnnxExporter). On a GPU the plan
/// always holds the GPU forms (docs/BENCHMARKS.md, "GPU"): the log-space scan on a CUDA device (auto means log there) and
/// the chunked ONNX form on the CUDA provider.</summary>
public static class BenchPlan
{
    /// <summary>The models whose onnx rows the plan skips for want of an exporter (empty without the onnx mode).</summary>
    public static List<string> WithoutExporter(BenchOptions o, Func<string, bool>? exports = null) =>
        o.Kind == "infer" && OnnxRows(o) ? [.. o.Models.Where(m => !(exports ?? OnnxExporter.Exports)(m))] : [];

    private static bool OnnxRows(BenchOptions o) => (o.Modes ?? BenchOptions.DefaultModes).Contains("onnx") && (o.OnnxForms ?? BenchOptions.AllOnnxForms).Count > 0;

    /// <summary>The ONNX forms a model's onnx rows take: each asked form the kind has (scan, chunked for min cells and
    /// mamba; attention, fused-attention for the transformer), or its default form when it has none of them (native for
    /// GRU/LSTM).</summary>
    private static IReadOnlyList<string> OnnxForms(string model, IReadOnlyList<string> asked)
    {
        var forms = OnnxExporter.Forms(model);
        var taken = asked.Where(forms.Contains).ToList();
        return taken.Count > 0 ? taken : [forms[0]];
    }

    public static List<BenchCase> Cases(BenchOptions o, Func<string, bool>? exports = null)
    {
        var skipped = WithoutExporter(o, exports);
        var (devices, onnxForms) = (o.Devices, o.OnnxForms ?? BenchOptions.AllOnnxForms);
        IReadOnlyList<ScanMode> scans = devices.Device == DeviceType.CUDA
            ? [.. o.Scans.Select(s => s == ScanMode.Auto ? ScanMode.Log : s).Prepend(ScanMode.Log).Distinct()]
            : o.Scans;
        if (devices.Provider == ExecutionProvider.Cuda && onnxForms.Count > 0) onnxForms = [.. onnxForms.Append("chunked").Distinct()];
        var benches = o.Kind == "train" ? ["train"]
            : (o.Modes ?? BenchOptions.DefaultModes).Where(m => m != "onnx" || onnxForms.Count > 0).Select(m => m == "onnx" ? m : "infer-" + m).ToList();
        var cases = (from bench in benches
                     from t in o.SeqLens
                     from m in o.Models
                     where bench != "onnx" || !skipped.Contains(m)
                     from scan in CellKinds.Scans(m) && bench != "onnx" ? scans : [ScanMode.Auto]
                     from form in bench == "onnx" ? OnnxForms(m, onnxForms) : ["scan"]
                     select new BenchCase(bench, m, scan, t, o.Batch, o.Dim, o.Hidden, o.Threads, o.Warmup, o.Repeats, o.BudgetSeconds,
                         o.StreamSteps, form, o.OnnxLayers, Device: devices.Device, Provider: devices.Provider)).ToList();
        if (o.Kind != "infer" || o.MlNetFiles is not { } files) return cases;
        if (o.MlNetOnly) cases.Clear();
        cases.AddRange(from file in files
                       from mode in MlNetBench.Modes
                       select new BenchCase(mode, Path.GetFileNameWithoutExtension(file), ScanMode.Auto, 0, o.MlNetRows, o.Dim, o.Hidden,
                           o.Threads, o.Warmup, o.Repeats, o.BudgetSeconds, 0, ModelFile: Path.GetFullPath(file), Device: devices.Device,
                           Provider: devices.Provider));
        return cases;
    }
}
