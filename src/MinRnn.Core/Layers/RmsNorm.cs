using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Layers;

/// <summary>RMSNorm as in the official minRNN code: normalize(x) · √d · γ (γ starts at 1).</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter gamma;
    private readonly double scale;

    public RmsNorm(long dim) : base(nameof(RmsNorm))
    {
        scale = Math.Sqrt(dim);
        gamma = nn.Parameter(ones(dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => F.normalize(x, dim: -1) * scale * gamma;
}
