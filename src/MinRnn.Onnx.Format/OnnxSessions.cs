using Microsoft.ML.OnnxRuntime;
using MinRnn.ML;
using MinRnn.Onnx.Graph;
using static Onnx.TensorProto.Types;

namespace MinRnn.Onnx.Format;

/// <summary>ONNX Runtime sessions for MinRnn models, made one way, and the one probe for the CUDA provider.</summary>
public static class OnnxSessions
{
    private static readonly byte[] Probe = ProbeModel();

    /// <summary>A session on the CPU, or on CUDA device <paramref name="cudaDevice"/>; <see cref="CudaUnavailableException"/>
    /// (the one-line reason) when that provider cannot load. threads 0: ONNX Runtime's default.</summary>
    public static InferenceSession Open(byte[] model, int? cudaDevice = null, int threads = 0)
    {
        using var options = Options(threads);
        if (cudaDevice is { } device)
        {
            try { options.AppendExecutionProvider_CUDA(device); }
            catch (Exception e) when (IsProviderFailure(e)) { throw new CudaUnavailableException(Reason(device, e), e); }
        }
        return new InferenceSession(model, options);
    }

    /// <summary>The one fall-back policy, for `minrnn` and the ML.NET component alike: the device a session opens on. The
    /// CPU (null) when none is asked for; the CUDA device when its provider runs here; otherwise, with
    /// <paramref name="fallbackToCpu"/>, the CPU and a warning naming the reason, and without it a
    /// <see cref="CudaUnavailableException"/>: <paramref name="refusal"/> + the reason + "; " + <paramref name="advice"/>.</summary>
    public static (int? Device, string? Warning) Choose(int? cudaDevice, bool fallbackToCpu, string refusal, string advice)
    {
        if (cudaDevice is not { } device || WhyCudaUnavailable(device) is not { } reason) return (cudaDevice, null);
        if (!fallbackToCpu) throw new CudaUnavailableException($"{refusal}{reason}; {advice}");
        return (null, $"{reason}; running on the CPU");
    }

    /// <summary>Null when a CUDA session opens on <paramref name="deviceId"/>; otherwise one line saying why not.</summary>
    public static string? WhyCudaUnavailable(int deviceId)
    {
        // ORT logs a failed provider load (multi-line, to stderr) beside the exception; the exception is enough.
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            using var session = Open(Probe, deviceId);
            return null;
        }
        catch (CudaUnavailableException e) { return e.Message; }
        catch (Exception e) when (IsProviderFailure(e)) { return Reason(deviceId, e); }
        finally { env.EnvLogLevel = level; }
    }

    /// <summary>Errors only: ORT warns about every state input that has a default (the zero initializer), by design here.
    /// No spinning: a Scan runs its steps on the calling thread, and intra-op workers spinning between the parallel
    /// ops only take cycles from it (measured: whole minGRU model 2× faster on a busy 2-core machine).</summary>
    private static SessionOptions Options(int threads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (threads > 0) (options.IntraOpNumThreads, options.InterOpNumThreads) = (threads, 1);
        return options;
    }

    private static bool IsProviderFailure(Exception e) => e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException;

    private static string Reason(int deviceId, Exception e) =>
        $"the CUDA execution provider cannot run on device {deviceId} ({ErrorText.FirstLine(e.Message)}); " +
        "it needs an NVIDIA GPU with the CUDA 13 (libcublasLt.so.13) and cuDNN 9 libraries";

    /// <summary>The smallest model that makes ORT load a provider: int64 x → Identity → y.</summary>
    private static byte[] ProbeModel()
    {
        var g = new GraphBuilder("minrnn_cuda_probe");
        g.Input("x", DataType.Int64, 1L);
        g.Output("x", "y", DataType.Int64, 1L);
        return Google.Protobuf.MessageExtensions.ToByteArray(g.Model("MinRnn"));
    }
}
