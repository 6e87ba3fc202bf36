using static TorchSharp.torch;

namespace MinRnn.Training;

public static class Devices
{
    /// <summary>What a machine needs for TorchSharp on CUDA (docs/PLATFORM.md, "Devices").</summary>
    public const string CudaHint = "build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU";

    /// <summary>auto → CUDA when available, else CPU; cuda without a CUDA build or GPU → a clear error.</summary>
    public static Device Resolve(string name) => name switch
    {
        "auto" => cuda.is_available() ? CUDA : CPU,
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new ArgumentException($"device: cuda requested but CUDA is not available ({CudaHint})"),
        _ => throw new ArgumentException($"device: '{name}' is not one of auto|cpu|cuda"),
    };
}
