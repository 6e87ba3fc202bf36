using MinRnn.ML;

namespace MinRnn.Onnx.Format.Tests;

/// <summary>The one CUDA fall-back policy of `minrnn` and the ML.NET component. On a machine without a usable CUDA
/// provider (this one) asking for it is refused with the reason, or with the fall-back runs on the CPU with a warning.</summary>
public class ProviderChoiceTests
{
    [Fact]
    public void NoDeviceAskedForIsTheCpuWithoutAWarning() =>
        Assert.Equal(((int?)null, (string?)null), OnnxSessions.Choose(null, fallbackToCpu: false, "x: ", "advice"));

    [Fact]
    public void AnUnusableCudaDeviceIsRefusedOrFallsBackToTheCpu()
    {
        if (OnnxSessions.WhyCudaUnavailable(0) is not { } reason)
        {
            Assert.Equal(((int?)0, (string?)null), OnnxSessions.Choose(0, fallbackToCpu: false, "x: ", "advice"));   // a GPU here
            return;
        }
        var refused = Assert.Throws<CudaUnavailableException>(() => OnnxSessions.Choose(0, fallbackToCpu: false, "--provider cuda: ", "use the CPU"));
        Assert.Equal($"--provider cuda: {reason}; use the CPU", refused.Message);
        Assert.Equal(((int?)null, (string?)$"{reason}; running on the CPU"), OnnxSessions.Choose(0, fallbackToCpu: true, "x: ", "advice"));
    }
}
