using Microsoft.ML;

namespace MinRnn.ML.Tests;

/// <summary>CUDA when it runs here; otherwise a clear error, or the CPU with the reason when falling back is allowed.</summary>
public class ProviderTests
{
    private static SequenceModelTransformer Fit(int? gpu, bool fallback)
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Sequences.Rows(Sequences.Mixed(3, 16, seed: 2)));
        return ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Repo.Model("mingru"), GpuDeviceId = gpu, FallbackToCpu = fallback }).Fit(data);
    }

    [Fact]
    public void CpuByDefault()
    {
        using var component = Fit(null, false);
        Assert.Equal(ExecutionProvider.Cpu, component.Provider);
        Assert.Null(component.ProviderNote);
    }

    [Fact]
    public void CudaRunsOrSaysWhyNot()
    {
        var why = CudaAvailability.WhyUnavailable(0);
        if (why is null)
        {
            using var cuda = Fit(0, false);
            Assert.Equal(ExecutionProvider.Cuda, cuda.Provider);
            return;
        }
        Assert.Contains("the CUDA execution provider cannot run on device 0", why);
        var e = Assert.Throws<CudaUnavailableException>(() => Fit(0, false));
        Assert.Contains("set FallbackToCpu or leave GpuDeviceId unset", e.Message);
        using var fallback = Fit(0, true);
        Assert.Equal(ExecutionProvider.Cpu, fallback.Provider);
        Assert.EndsWith("; running on the CPU", fallback.ProviderNote);
    }
}
