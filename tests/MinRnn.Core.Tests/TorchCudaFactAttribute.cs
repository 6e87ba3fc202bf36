using static TorchSharp.torch;

namespace MinRnn.Tests;

/// <summary>A fact that needs TorchSharp on CUDA: it runs where a CUDA build sees a GPU and is reported as skipped, with
/// the reason, elsewhere, so a CPU-only machine never passes it without checking.</summary>
public sealed class TorchCudaFactAttribute : FactAttribute
{
    public TorchCudaFactAttribute()
    {
        if (!cuda.is_available())
            Skip = "TorchSharp sees no CUDA device (build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU)";
    }
}
