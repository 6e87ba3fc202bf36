using Microsoft.ML.OnnxRuntime;

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

/// <summary>Finds out whether ONNX Runtime's CUDA provider runs here, by opening a session on it.</summary>
internal static class CudaProbe
{
    /// <summary>Null when a CUDA session on <paramref name="deviceId"/> opens for <paramref name="model"/>; else why not.</summary>
    public static string? WhyUnavailable(int deviceId, byte[] model)
    {
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            options.AppendExecutionProvider_CUDA(deviceId);
            using var session = new InferenceSession(model, options);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            return $"the CUDA execution provider cannot run on device {deviceId} ({SequenceModelInfo.FirstLine(e.Message)}); " +
                   "it needs an NVIDIA GPU with CUDA 13 and cuDNN 9 libraries";
        }
    }
}
