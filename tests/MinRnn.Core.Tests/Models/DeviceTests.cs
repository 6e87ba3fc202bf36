using MinRnn.Models;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Models;

/// <summary>The same model on CUDA and on the CPU: equal logits and final states (float64, so no TF32 rounding; the GPU
/// takes the log-space scan, the CPU the fused kernel).</summary>
public class DeviceTests
{
    [TorchCudaFact]
    public void CudaGivesTheCpuResults()
    {
        foreach (var cell in new[] { "mingru", "minlstm", "gru", "lstm" })
        {
            random.manual_seed(4);
            using var model = new SequenceModel(new ModelConfig(cell, Layers: 2, Vocab: 7, Dim: 8, Expansion: 2, ConvKernel: 3));
            model.to(float64);
            using var tokens = randint(0, 7, [3, 29]);
            var (cpu, cpuState) = model.call(tokens, null);
            model.to(Devices.Resolve("cuda"));
            var (gpu, gpuState) = model.call(tokens.to(CUDA), null);
            Assert.Equal(DeviceType.CUDA, gpu.device_type);
            TestUtil.Close(gpu, cpu, 1e-9, $"{cell} logits");
            for (var l = 0; l < 2; l++)
                TestUtil.Close(gpuState[l].Cell.H, cpuState[l].Cell.H, 1e-9, $"{cell} layer {l} state");
        }
    }
}
