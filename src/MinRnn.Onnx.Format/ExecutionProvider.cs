// Declared here, once, for the CLI (MinRnn.Onnx) and the ML.NET component; in MinRnn.ML's namespace because that is
// where ML.NET users have always found them (MinRnn.ML forwards both types here).
namespace MinRnn.ML;

/// <summary>Where ONNX Runtime runs the model.</summary>
public enum ExecutionProvider
{
    /// <summary>ONNX Runtime's CPU provider.</summary>
    Cpu,
    /// <summary>ONNX Runtime's CUDA provider (NVIDIA GPU, CUDA 13, cuDNN 9).</summary>
    Cuda,
}

/// <summary>The CUDA execution provider cannot run here and no fall-back to the CPU was allowed.</summary>
public sealed class CudaUnavailableException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
