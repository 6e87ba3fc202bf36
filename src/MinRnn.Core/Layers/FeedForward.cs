using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Layers;

/// <summary>GEGLU feed-forward: W_out (u ⊙ gelu(v)), [u, v] = W_in x, inner width d · mult.</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear proj_in;
    private readonly Linear proj_out;

    public FeedForward(long dim, double mult) : base(nameof(FeedForward))
    {
        var inner = (long)Math.Round(dim * mult);
        proj_in = nn.Linear(dim, 2 * inner);
        proj_out = nn.Linear(inner, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var uv = proj_in.call(x).chunk(2, -1);
        return proj_out.call(uv[0] * F.gelu(uv[1])).MoveToOuterDisposeScope();
    }
}
