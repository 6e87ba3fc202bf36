using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

/// <summary>CUDA, where it runs, gives the CPU's outputs; otherwise a clear error, or the CPU with the reason when falling
/// back is allowed.</summary>
public class ProviderTests
{
    private static readonly long[][] Rows = Sequences.Mixed(3, 16, seed: 2);

    private static (SequenceModelTransformer Component, long[][] Predictions, float[][] Logits) Fit(int? gpu, bool fallback)
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Sequences.Rows(Rows));
        var component = ml.Transforms.ApplySequenceModel(new SequenceModelOptions
        {
            ModelFile = Repo.Model("mingru"), LogitsColumnName = "Logits", GpuDeviceId = gpu, FallbackToCpu = fallback,
        }).Fit(data);
        var output = component.Transform(data);
        return (component, output.GetColumn<long[]>("Predictions").ToArray(), output.GetColumn<float[]>("Logits").ToArray());
    }

    [Fact]
    public void CpuByDefault()
    {
        var (component, _, _) = Fit(null, false);
        using var _ = component;
        Assert.Equal(ExecutionProvider.Cpu, component.Provider);
        Assert.Null(component.ProviderNote);
    }

    [CudaFact]
    public void CudaGivesTheCpuOutputs()
    {
        var (cpu, cpuPredictions, cpuLogits) = Fit(null, false);
        var (cuda, cudaPredictions, cudaLogits) = Fit(0, false);
        using var _ = cpu;
        using var __ = cuda;
        Assert.Equal(ExecutionProvider.Cuda, cuda.Provider);
        Assert.Null(cuda.ProviderNote);
        Assert.Equal(cpuPredictions, cudaPredictions);
        for (var i = 0; i < Rows.Length; i++)
            RelativeError.AssertWithin(cudaLogits[i], cpuLogits[i], 1e-4, $"row {i}: logits");
    }

    [NoCudaFact]
    public void WithoutCudaAClearErrorOrTheCpuWithTheReason()
    {
        Assert.Contains("the CUDA execution provider cannot run on device 0", CudaAvailability.WhyUnavailable(0));
        var e = Assert.Throws<CudaUnavailableException>(() => Fit(0, false));
        Assert.Contains("set FallbackToCpu or leave GpuDeviceId unset", e.Message);
        var (fallback, _, _) = Fit(0, true);
        using var _ = fallback;
        Assert.Equal(ExecutionProvider.Cpu, fallback.Provider);
        Assert.EndsWith("; running on the CPU", fallback.ProviderNote);
    }
}
