using MinRnn.Cells;
using MinRnn.ML;
using MinRnn.Models;
using MinRnn.Scans;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Bench;

/// <summary>What one configuration measures, run in its own process (see BenchRunner).
/// OnnxForm and Layers apply to the whole-model ONNX Runtime rows (Bench = "onnx"), ModelFile to the rows of an exported
/// model through ML.NET and raw ONNX Runtime (Bench = "mlnet", "ort-rows", "ort-batch"; Batch = rows). Device: TorchSharp's,
/// for the layer rows; Provider: ONNX Runtime's, for the whole-model and ML.NET rows.</summary>
public sealed record BenchCase(string Bench, string Model, ScanMode Scan, int SeqLen, int Batch, int Dim, int Hidden,
    int Threads, int Warmup, int Repeats, double BudgetSeconds, int StreamSteps, string OnnxForm = "scan", int Layers = 2,
    string? ModelFile = null, DeviceType Device = DeviceType.CPU, ExecutionProvider Provider = ExecutionProvider.Cpu);

/// <summary>Measures one bare layer (d → inner width h → d) as the paper's Figure 1 does: a training step
/// (forward + backward of Σ y ⊙ w), whole-sequence inference, or streaming inference with the state carried, on the case's
/// device (on CUDA every timed step ends with a synchronisation, so the timer counts the kernels it queued).</summary>
public static class CellBench
{
    public static BenchResult Run(BenchCase c)
    {
        if (MlNetBench.Modes.Contains(c.Bench)) return MlNetBench.Run(c);    // no TorchSharp in these
        set_num_threads(c.Threads);
        if (c.Bench == "onnx") return OnnxBench.Run(c);
        random.manual_seed(0);
        var device = new Device(c.Device);
        using var cell = new ModelConfig(c.Model, Dim: c.Dim, Expansion: (double)c.Hidden / c.Dim, Scan: c.Scan).CreateCell();
        cell.to(device);
        var x = randn(c.Batch, c.SeqLen, c.Dim).to(device);                  // drawn on the CPU: the same numbers on every device
        var scan = CellKinds.Scans(c.Model) ? LinearScan.Resolve(c.Scan, x).ToString().ToLowerInvariant() : "native";
        if (c.Bench == "infer-generate") return GenerationBench.Run(c, cell, x, BenchDevices.Synchronize(c.Device)) with { Scan = scan };
        Action step = c.Bench switch
        {
            "train" => TrainStep(cell, x),
            "infer-sequence" => () => { using var noGrad = no_grad(); using var s = NewDisposeScope(); cell.call(x, null); },
            "infer-stream" => StreamSteps(cell, x, c.StreamSteps),
            _ => throw new ArgumentException($"bench: unknown kind '{c.Bench}'"),
        };
        var tokens = (double)c.Batch * (c.Bench == "infer-stream" ? Math.Min(c.StreamSteps, c.SeqLen) : c.SeqLen);
        return Measurement.Run(c, step, tokens, BenchDevices.Synchronize(c.Device)) with { Scan = scan };
    }

    private static Action TrainStep(RecurrentCell cell, Tensor x)
    {
        var input = x.requires_grad_(true);
        var w = randn_like(x);
        return () =>
        {
            using var scope = NewDisposeScope();
            cell.zero_grad();
            input.grad?.zero_();
            var (y, _) = cell.call(input, null);
            (y * w).sum().backward();
        };
    }

    /// <summary>Tokens arrive one at a time as their own (B, 1, d) tensors, as they do in a streaming consumer.</summary>
    private static Action StreamSteps(RecurrentCell cell, Tensor x, int steps)
    {
        var inputs = Enumerable.Range(0, (int)Math.Min(steps, x.shape[1])).Select(t => x.narrow(1, t, 1).contiguous()).ToArray();
        return () =>
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            CellState? state = null;
            foreach (var input in inputs)
                (_, state) = cell.call(input, state);
        };
    }
}
