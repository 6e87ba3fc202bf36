using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Scans;

/// <summary>A min cell's gates and recurrence in one pass over its pre-activations (CPU, float32/float64), with
/// the exact gradient in one reverse pass: nothing but the states is stored, gates are recomputed backward.
/// Pre-activations P (B, T, k·H) are the cell's projection in its chunk order — minGRU [k_h | k_z], minLSTM
/// [k_h | k_f | k_i]. Same function as the log-space and sequential paths (docs/MODELS.md, "Cells"):
///   minGRU            h = (1 − z) ⊙ h_prev + z ⊙ g(k_h),       z = σ(k_z)
///   minLSTM           h = f ⊙ h_prev + i ⊙ g(k_h),             f = σ(k_f), i = σ(k_i)
///   minLSTM, normed   h = f' ⊙ h_prev + i' ⊙ g(k_h),           f' = f/(f+i), i' = i/(f+i)</summary>
public sealed class FusedMinScan : autograd.SingleTensorFunction<FusedMinScan>
{
    public override string Name => "MinRnnFusedMinScan";

    /// <summary>h (B, T, H) of the min cell whose step is TStep, from its pre-activations (B, T, Chunks·H) and h0.</summary>
    internal static Tensor Scan<TStep>(Tensor preactivations, Tensor? h0) where TStep : struct, IMinStep =>
        Scan(FusedMinKernels<TStep>.Instance, preactivations, h0);

    private static Tensor Scan(IFusedMinKernels kind, Tensor preactivations, Tensor? h0)
    {
        if (h0 is null)
        {
            var shape = preactivations.shape;
            h0 = zeros(shape[0], shape[^1] / kind.Chunks, dtype: preactivations.dtype, device: preactivations.device);
        }
        if (is_grad_enabled() && (preactivations.requires_grad || h0.requires_grad))
            return apply(preactivations, h0, kind);
        return Forward(kind, preactivations, h0, out _, out _);          // inference: no autograd node
    }

    private static Tensor Forward(IFusedMinKernels kind, Tensor p, Tensor h0, out Tensor pc, out Tensor h)
    {
        var (shape, shape0) = (p.shape, h0.shape);                        // one native call each: shape is not cheap
        if (shape.Length != 3 || shape0.Length != 2 || shape0[0] != shape[0] || shape[2] != kind.Chunks * shape0[1])
            throw new ArgumentException($"fused {kind.Name} scan: pre-activations ({string.Join(", ", shape)}) and h0 ({string.Join(", ", shape0)}) do not fit");
        var (batch, steps, width) = ((int)shape[0], (int)shape[1], (int)shape0[1]);
        var work = p.dtype == float64 ? float64 : float32;
        pc = RowBlocks.Prepare(p, work);
        var h0c = RowBlocks.Prepare(h0, work);
        h = empty(batch, steps, width, dtype: work);
        kind.Forward(pc, h0c, h, batch, steps, width);
        return h.dtype == p.dtype && p.device_type == TorchSharp.DeviceType.CPU ? h : h.to(p.dtype, p.device);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (p, h0, kind) = ((Tensor)vars[0], (Tensor)vars[1], (IFusedMinKernels)vars[2]);
        var result = Forward(kind, p, h0, out var pc, out var h);
        ctx.save_for_backward([pc, h, RowBlocks.Prepare(h0, pc.dtype)]);
        ctx.save_data("kind", kind);
        ctx.save_data("dtype", p.dtype);
        ctx.save_data("device", p.device);
        return result;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (p, h, h0) = (saved[0], saved[1], saved[2]);
        var (kind, dtype, device) = ((IFusedMinKernels)ctx.get_data("kind"), (ScalarType)ctx.get_data("dtype"), (Device)ctx.get_data("device"));
        var g = RowBlocks.Prepare(gradOutput, p.dtype);
        var (gradP, gradH0) = (empty_like(p), empty_like(h0));
        kind.Backward(p, h, h0, g, gradP, gradH0);
        return [gradP.to(dtype, device), gradH0.to(dtype, device), null!];   // kind: not a tensor
    }
}
