using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tests;

/// <summary>A fact that needs TorchSharp on CUDA: it runs where a CUDA build sees a GPU and is reported as skipped, with
/// the reason, elsewhere, so a CPU-only machine never passes it without checking.</summary>
public sealed class TorchCudaFactAttribute : FactAttribute
{
    public TorchCudaFactAttribute()
    {
        if (!cuda.is_available())
            Skip = $"TorchSharp sees no CUDA device ({Devices.CudaHint})";
    }
}

/// <summary>A fact about what happens when TorchSharp sees no GPU (the error, the fall-back): skipped where it sees one.</summary>
public sealed class NoTorchCudaFactAttribute : FactAttribute
{
    public NoTorchCudaFactAttribute()
    {
        if (cuda.is_available()) Skip = "TorchSharp sees a CUDA device here (the TorchCudaFact tests check it)";
    }
}
