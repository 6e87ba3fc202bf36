using Microsoft.ML.OnnxRuntime;
using MinRnn.ML.Onnx;

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

/// <summary>Whether ONNX Runtime's CUDA provider runs here, found out by opening a session on it.</summary>
public static class CudaAvailability
{
    private static readonly byte[] Probe = ComponentGraphs.TokenCheck("tokens", "check", vocab: 2);

    /// <summary>Null when a CUDA session opens on <paramref name="deviceId"/>; otherwise one line saying why not. Use it
    /// before setting <c>MLContext.GpuDeviceId</c> for a loaded pipeline (ML.NET itself falls back silently).</summary>
    public static string? WhyUnavailable(int deviceId = 0) => WhyUnavailable(deviceId, Probe);

    internal static string? WhyUnavailable(int deviceId, byte[] model)
    {
        // ORT logs a failed provider load (multi-line, to stderr) beside the exception; the exception is enough.
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
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
                   "it needs an NVIDIA GPU with the CUDA 13 (libcublasLt.so.13) and cuDNN 9 libraries";
        }
        finally { env.EnvLogLevel = level; }
    }
}
