using MinRnn.Scans;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Layers;

/// <summary>The causal depthwise conv (CausalConv) as an autograd function over CPU memory, float32 or float64: one pass
/// forward, one backward with every gradient beside it (CausalConvKernels). The same function as a depthwise Conv1d without
/// padding over [past; x]: y_t = bias + Σ_i W_i ⊙ [past; x]_{t+i}, W (d, 1, k). Other dtypes and layouts are converted first
/// and the results converted back.</summary>
public sealed class FusedCausalConv : autograd.SingleTensorFunction<FusedCausalConv>
{
    public override string Name => "MinRnnFusedCausalConv";

    /// <summary>y (B, T, d) from x (B, T, d), the past inputs (B, k − 1, d), the Conv1d's weight (d, 1, k) and bias (d).</summary>
    public static Tensor Apply(Tensor x, Tensor past, Tensor weight, Tensor bias)
    {
        if (is_grad_enabled() && new[] { x, past, weight, bias }.Any(t => t.requires_grad))
            return apply(x, past, weight, bias);
        return Back(Forward(Prepare(x, past, weight, bias)), x);                 // inference: no autograd node
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var inputs = vars.Cast<Tensor>().ToArray();
        var work = Prepare(inputs);
        ctx.save_for_backward([.. work]);
        ctx.save_data("dtype", inputs[0].dtype);
        ctx.save_data("device", inputs[0].device);
        return Back(Forward(work), inputs[0]);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var w = ctx.get_saved_variables();
        var (dtype, device) = ((ScalarType)ctx.get_data("dtype"), (Device)ctx.get_data("device"));
        var (x, past, weightT) = (w[0], w[1], w[2]);
        var (gx, gPast) = (empty_like(x), empty_like(past));
        var gWeight = zeros(x.shape[0], weightT.shape[0], x.shape[2], dtype: x.dtype);     // per batch row, summed below
        var gBias = zeros(x.shape[0], x.shape[2], dtype: x.dtype);
        var gy = RowBlocks.Prepare(gradOutput, x.dtype);
        var g = new CausalConvKernels.Gradients(RowBlocks.Address(gy), RowBlocks.Address(gx), RowBlocks.Address(gPast),
            RowBlocks.Address(gWeight), RowBlocks.Address(gBias));
        if (x.dtype == float64) CausalConvKernels.Backward<double>(Memory(w), g);
        else CausalConvKernels.Backward<float>(Memory(w), g);
        // sum(0L), not sum(0): a literal 0 converts to ScalarType and picks sum(dtype)
        Tensor[] result = [gx, gPast, gWeight.sum(0L).t().unsqueeze(1), gBias.sum(0L)];
        return [.. result.Select(t => t.to(dtype, device).contiguous())];
    }

    /// <summary>x, past, Wᵀ (k, d), bias as contiguous CPU memory of the working dtype.</summary>
    private static Tensor[] Prepare(params Tensor[] inputs)
    {
        var (x, past, weight, bias) = (inputs[0], inputs[1], inputs[2], inputs[3]);
        var (width, kernel) = (x.shape[2], weight.shape[2]);
        if (x.dim() != 3 || weight.shape[0] != width || weight.shape[1] != 1 || bias.shape[0] != width
            || past.dim() != 3 || past.shape[0] != x.shape[0] || past.shape[1] != kernel - 1 || past.shape[2] != width)
            throw new ArgumentException($"causal conv: x ({string.Join(", ", x.shape)}), past ({string.Join(", ", past.shape)}) and weight ({string.Join(", ", weight.shape)}) do not fit");
        var work = x.dtype == float64 ? float64 : float32;
        return [RowBlocks.Prepare(x, work), RowBlocks.Prepare(past, work), RowBlocks.Prepare(weight.flatten(1).t(), work), RowBlocks.Prepare(bias, work)];
    }

    private static Tensor Forward(Tensor[] w)
    {
        var y = empty_like(w[0]);
        if (y.dtype == float64) CausalConvKernels.Forward<double>(Memory(w), RowBlocks.Address(y));
        else CausalConvKernels.Forward<float>(Memory(w), RowBlocks.Address(y));
        return y;
    }

    private static CausalConvKernels.Memory Memory(IList<Tensor> w) =>
        new(RowBlocks.Address(w[0]), RowBlocks.Address(w[1]), RowBlocks.Address(w[2]), RowBlocks.Address(w[3]),
            (int)w[0].shape[0], (int)w[0].shape[1], (int)w[0].shape[2], (int)w[2].shape[0]);

    private static Tensor Back(Tensor t, Tensor like) =>
        t.dtype == like.dtype && like.device_type == TorchSharp.DeviceType.CPU ? t : t.to(like.dtype, like.device);
}
