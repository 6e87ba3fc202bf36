using System.Runtime.CompilerServices;
using MinRnn.Onnx.Format;

// ExecutionProvider and CudaUnavailableException live in MinRnn.Onnx.Format (shared with the CLI), under this namespace.
[assembly: TypeForwardedTo(typeof(MinRnn.ML.ExecutionProvider))]
[assembly: TypeForwardedTo(typeof(MinRnn.ML.CudaUnavailableException))]

namespace MinRnn.ML;

/// <summary>Whether ONNX Runtime's CUDA provider runs here, found out by opening a session on it.</summary>
public static class CudaAvailability
{
    /// <summary>Null when a CUDA session opens on <paramref name="deviceId"/>; otherwise one line saying why not. Use it
    /// before setting <c>MLContext.GpuDeviceId</c> for a loaded pipeline (ML.NET itself falls back silently).</summary>
    public static string? WhyUnavailable(int deviceId = 0) => OnnxSessions.WhyCudaUnavailable(deviceId);
}
