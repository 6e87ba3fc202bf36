using static TorchSharp.torch;

namespace MinRnn.Onnx.Graph;

/// <summary>Weights from TorchSharp tensors for the (TorchSharp-free) GraphBuilder of MinRnn.Onnx.Format.</summary>
public static class TensorWeights
{
    /// <summary>A float32 weight from a tensor (any device and dtype, possibly empty), stored under `name`.</summary>
    public static string Weight(this GraphBuilder g, string name, Tensor t)
    {
        using var cpu = t.detach().cpu().to_type(float32).contiguous();
        return g.Weight(name, cpu.numel() == 0 ? [] : cpu.data<float>().ToArray(), cpu.shape);
    }
}
