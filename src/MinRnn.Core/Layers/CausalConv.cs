using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MinRnn.Layers;

/// <summary>Causal depthwise 1-D convolution over time (kernel k): y_t depends on x_{t-k+1..t}.
/// The state is the last k − 1 inputs (B, k − 1, d), so chunked evaluation equals one pass.</summary>
public sealed class CausalConv : nn.Module<Tensor, Tensor?, (Tensor Output, Tensor State)>
{
    private readonly Conv1d conv;
    private readonly long kernel;

    public CausalConv(long dim, long kernel) : base(nameof(CausalConv))
    {
        this.kernel = kernel;
        conv = nn.Conv1d(dim, dim, kernel, groups: dim);
        RegisterComponents();
    }

    public override (Tensor Output, Tensor State) forward(Tensor x, Tensor? state) => Apply(conv, kernel, x, state);

    /// <summary>A depthwise Conv1d without padding run causally over x (B, T, d) after the past inputs `state`
    /// (B, k − 1, d; zeros when null) → (y (B, T, d), the last k − 1 inputs). Mamba's conv1d runs through it too. On the
    /// CPU the conv is our own kernel (FusedCausalConv); elsewhere the Conv1d module over [past; x].</summary>
    public static (Tensor Output, Tensor State) Apply(Conv1d conv, long kernel, Tensor x, Tensor? state)
    {
        using var scope = NewDisposeScope();
        var past = state ?? zeros(x.shape[0], kernel - 1, x.shape[2], dtype: x.dtype, device: x.device);
        var y = x.device_type == DeviceType.CPU && conv.bias is not null
            ? FusedCausalConv.Apply(x, past, conv.weight!, conv.bias)
            : conv.call(cat([past, x], 1).transpose(1, 2)).transpose(1, 2);        // over [past; x] (B, d, k − 1 + T)
        return (y.MoveToOuterDisposeScope(), LastInputs(past, x, kernel).MoveToOuterDisposeScope());
    }

    /// <summary>The last k − 1 rows of [past; x] (B, k − 1 + T, d).</summary>
    private static Tensor LastInputs(Tensor past, Tensor x, long kernel)
    {
        var steps = x.shape[1];
        return steps >= kernel - 1 ? x.narrow(1, steps - (kernel - 1), kernel - 1) : cat([past, x], 1).narrow(1, steps, kernel - 1);
    }
}
