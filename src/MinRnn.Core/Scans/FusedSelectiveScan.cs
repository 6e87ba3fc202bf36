using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Scans;

/// <summary>The selective scan (SelectiveScan) in one fused pass over CPU memory, float32 or float64, as an autograd
/// function: forward keeps h in registers and L1 and stores only y and the final state; backward recomputes the states
/// of its channel block, then runs the reverse scan g_t = C_t ∂L/∂y_t + a_{t+1} ⊙ g_{t+1} with every input's gradient
/// beside it (SelectiveKernels). Other dtypes, devices and layouts are converted first and the results converted back.</summary>
public sealed class FusedSelectiveScan : autograd.MultiTensorFunction<FusedSelectiveScan>
{
    public override string Name => "MinRnnFusedSelectiveScan";

    /// <summary>(y (B, T, E), h_T (B, E, N)) from the inputs and h0 (B, E, N); width: the SIMD registers' (every width
    /// computes the same function; Auto = 512-bit where the CPU runs it natively).</summary>
    public static (Tensor Y, Tensor State) Scan(SelectiveScanInputs s, Tensor h0, SimdWidth width = SimdWidth.Auto)
    {
        Tensor[] all = [s.U, s.Delta, s.A, s.B, s.C, s.D, h0];
        if (is_grad_enabled() && all.Any(t => t.requires_grad))
        {
            var r = apply(s.U, s.Delta, s.A, s.B, s.C, s.D, h0, width);
            return (r[0], r[1]);
        }
        var (y, state) = Forward(Prepare(all), width);
        return (Back(y, s.U), Back(state, s.U));
    }

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (inputs, width) = (vars.OfType<Tensor>().ToArray(), (SimdWidth)vars[^1]);
        var work = Prepare(inputs);
        var (y, state) = Forward(work, width);
        ctx.save_for_backward([.. work]);
        ctx.save_data("width", width);
        ctx.set_materialize_grads(false);     // TorchSharp would build zeros from outputs a caller's dispose scope may have freed
        ctx.save_data("dtype", inputs[0].dtype);
        ctx.save_data("device", inputs[0].device);
        return [Back(y, inputs[0]), Back(state, inputs[0])];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var w = ctx.get_saved_variables();
        var (dtype, device) = ((ScalarType)ctx.get_data("dtype"), (Device)ctx.get_data("device"));
        var (u, a, h0) = (w[0], w[2], w[6]);
        var (batch, steps, width, n) = ((int)u.shape[0], (int)u.shape[1], (int)u.shape[2], (int)a.shape[0]);   // a is Aᵀ (N, E)
        var blocks = (width + SelectiveKernels.Block - 1) / SelectiveKernels.Block;
        var gy = Defined(grads[0]) ? RowBlocks.Prepare(grads[0], u.dtype) : zeros_like(u);
        var gState = Defined(grads[1]) ? RowBlocks.Prepare(grads[1], u.dtype) : zeros_like(h0);
        Tensor Zeros(params long[] shape) => zeros(shape, dtype: u.dtype);
        var g = new SelectiveGradients(empty_like(u), empty_like(u), Zeros(batch, n, width), Zeros(batch, blocks, steps, n),
            Zeros(batch, blocks, steps, n), Zeros(batch, width), empty_like(h0));
        SelectiveKernels.Backward([.. w], gy, gState, g, (SimdWidth)ctx.get_data("width"));
        // the partials summed; sum(0L), not sum(0): a literal 0 converts to ScalarType and picks sum(dtype)
        Tensor[] result = [g.U, g.Delta, g.A.sum(0L).t(), g.B.sum(1), g.C.sum(1), g.D.sum(0L), g.H0];
        return [.. result.Select(t => t.to(dtype, device)), null!];                 // width: not a tensor
    }

    /// <summary>Inputs U, Δ, Aᵀ (N, E), B, C, D, h0 as contiguous CPU memory of the working dtype; A goes in transposed so
    /// that one state's coefficients over channels are contiguous, like everything the kernel vectorises.</summary>
    private static Tensor[] Prepare(Tensor[] inputs)
    {
        var work = inputs[0].dtype == float64 ? float64 : float32;
        return [.. inputs.Select((t, i) => RowBlocks.Prepare(i == 2 ? t.t() : t, work))];
    }

    private static (Tensor Y, Tensor State) Forward(Tensor[] w, SimdWidth width)
    {
        var (u, a, h0) = (w[0], w[2], w[6]);
        if (u.dim() != 3 || h0.dim() != 3 || h0.shape[1] != u.shape[2] || a.shape[1] != u.shape[2] || h0.shape[2] != a.shape[0])
            throw new ArgumentException($"fused selective scan: x ({string.Join(", ", u.shape)}), Aᵀ ({string.Join(", ", a.shape)}) and h0 ({string.Join(", ", h0.shape)}) do not fit");
        var (y, state) = (empty_like(u), empty_like(h0));
        SelectiveKernels.Forward(w, y, state, width);
        return (y, state);
    }

    private static Tensor Back(Tensor t, Tensor like) =>
        t.dtype == like.dtype && like.device_type == TorchSharp.DeviceType.CPU ? t : t.to(like.dtype, like.device);

    /// <summary>An output gradient autograd left undefined (that output unused) reads as zeros.</summary>
    private static bool Defined(Tensor? t) => t is not null && !t.IsInvalid;
}
