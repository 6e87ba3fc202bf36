using MinRnn.ML;
using MinRnn.Onnx.Format;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Bench;

/// <summary>Where a benchmark runs (docs/BENCHMARKS.md, "GPU"): TorchSharp's device for the train, sequence and stream rows,
/// ONNX Runtime's execution provider for the onnx and ML.NET rows, each after any fall-back to the CPU (Warnings say so).</summary>
public sealed record BenchDevices(DeviceType Device, ExecutionProvider Provider, IReadOnlyList<string> Warnings)
{
    public static readonly string[] DeviceNames = ["auto", "cpu", "cuda"];

    public static readonly BenchDevices Cpu = new(DeviceType.CPU, ExecutionProvider.Cpu, []);

    /// <summary>Why no GPU memory figure is given: TorchSharp 0.107 binds no CUDA allocator statistics
    /// (`torch.cuda.max_memory_allocated` and its kin are not in its API), and ONNX Runtime's C# API exposes none either.</summary>
    public const string GpuMemoryNote = "not measured: TorchSharp 0.107 exposes no CUDA allocator statistics (no torch.cuda.max_memory_allocated) " +
        "and ONNX Runtime's C# API none either; peak_memory_mb is the host's resident set";

    public bool IsCpu => Device == DeviceType.CPU && Provider == ExecutionProvider.Cpu;

    /// <summary>--device auto|cpu|cuda and --provider cpu|cuda, checked before anything is measured: CUDA asked for and not
    /// there is a one-line ArgumentException (exit code 2), or with fallbackCpu the CPU and a warning.</summary>
    public static BenchDevices Resolve(string device, ExecutionProvider provider, bool fallbackCpu)
    {
        var warnings = new List<string>();
        bool Usable(string option, string? whyNot, string cpuChoice)
        {
            if (whyNot is null) return true;
            if (!fallbackCpu) throw new ArgumentException($"{option}: {whyNot}; use {cpuChoice} or add --fallback-cpu");
            warnings.Add($"warning: {option}: {whyNot}; running on the CPU");
            return false;
        }
        var torchDevice = device switch
        {
            "cpu" => DeviceType.CPU,
            "auto" => cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU,
            "cuda" => Usable("--device cuda", cuda.is_available() ? null : $"TorchSharp sees no CUDA device ({Devices.CudaHint})", "--device cpu")
                ? DeviceType.CUDA : DeviceType.CPU,
            _ => throw new ArgumentException($"--device: '{device}' is not one of {string.Join("|", DeviceNames)}"),
        };
        if (provider == ExecutionProvider.Cuda && !Usable("--provider cuda", OnnxSessions.WhyCudaUnavailable(0), "--provider cpu"))
            provider = ExecutionProvider.Cpu;
        return new BenchDevices(torchDevice, provider, warnings);
    }

    /// <summary>Rows timed in ONNX Runtime (whole models and the ML.NET rows) run on the provider, the others on the device.</summary>
    public static bool RunsOnOnnxRuntime(string bench) => bench == "onnx" || MlNetBench.Modes.Contains(bench);

    /// <summary>A row's `device` (cpu|cuda), `device_name` and `provider` (ONNX Runtime rows only).</summary>
    public static (string Device, string DeviceName, string? Provider) Of(BenchCase c)
    {
        var onCuda = RunsOnOnnxRuntime(c.Bench) ? c.Provider == ExecutionProvider.Cuda : c.Device == DeviceType.CUDA;
        var provider = RunsOnOnnxRuntime(c.Bench) ? Name(c.Provider) : null;
        return onCuda ? ("cuda", GpuName(), provider) : ("cpu", "cpu", provider);
    }

    /// <summary>Waits for the device's queued kernels, so a timer stopped after it counts them (torch.cuda.synchronize);
    /// null on the CPU, where every call returns when its work is done. ONNX Runtime's Run returns its outputs in host
    /// memory, so it has finished by then on either provider.</summary>
    public static Action? Synchronize(DeviceType device) => device == DeviceType.CUDA ? () => cuda.synchronize() : null;

    public static string Name(ExecutionProvider provider) => provider.ToString().ToLowerInvariant();

    public static string Name(DeviceType device) => device == DeviceType.CUDA ? "cuda" : "cpu";

    /// <summary>The GPU's model as NVIDIA's Linux driver reports it (/proc/driver/nvidia/gpus/*/information, "Model:", every
    /// GPU in PCI order): TorchSharp 0.107 has no get_device_name. "cuda:0" where the driver does not say.</summary>
    public static string GpuName()
    {
        const string root = "/proc/driver/nvidia/gpus";
        if (!Directory.Exists(root)) return "cuda:0";
        var models = Directory.GetDirectories(root).Order()
            .Select(d => Path.Combine(d, "information")).Where(File.Exists)
            .SelectMany(File.ReadLines).Where(l => l.StartsWith("Model:", StringComparison.Ordinal))
            .Select(l => l["Model:".Length..].Trim()).ToList();
        return models.Count > 0 ? string.Join(", ", models) : "cuda:0";
    }

    /// <summary>The JSON "devices" of a run: where its rows ran, the GPU's name, the fall-back warnings, and what is known of
    /// GPU memory (null on the CPU).</summary>
    public object Json() => new
    {
        device = Name(Device),
        device_name = Device == DeviceType.CUDA ? GpuName() : "cpu",
        provider = Name(Provider),
        provider_device_name = Provider == ExecutionProvider.Cuda ? GpuName() : "cpu",
        warnings = Warnings,
        gpu_memory = IsCpu ? null : GpuMemoryNote,
    };

    /// <summary>One line above a table that was not measured on the CPU alone.</summary>
    public string Summary() =>
        $"TorchSharp on {Name(Device)}{(Device == DeviceType.CUDA ? $" ({GpuName()})" : "")}, ONNX Runtime on {Name(Provider)}" +
        $"{(Provider == ExecutionProvider.Cuda ? $" ({GpuName()})" : "")}; GPU memory {GpuMemoryNote}.";
}
