using System.Numerics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;
using Primitives = System.Numerics.Tensors.TensorPrimitives;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Scans;

/// <summary>The fused CPU scan (docs/MODELS.md, "Three ways", 3) as an autograd function: h_t = a_t ⊙ h_{t-1} + b_t in one pass
/// forward; backward as the reverse scan g_t = ∂L/∂h_t + a_{t+1} ⊙ g_{t+1}, ∂L/∂b_t = g_t, ∂L/∂a_t = g_t ⊙ h_{t-1},
/// ∂L/∂h0 = a_1 ⊙ g_1. No logs, no exps: memory-bound. a, b: (B, T, H); h0: (B, H). float32/float64 run
/// natively (SIMD over H, threads over batch rows × H blocks); other dtypes, other devices and
/// non-contiguous inputs are converted first and the result converted back.</summary>
public sealed class FusedLinearScan : autograd.SingleTensorFunction<FusedLinearScan>
{
    public override string Name => "MinRnnFusedLinearScan";

    /// <summary>All states (B, T, H) of the recurrence; h0 null means zeros.</summary>
    public static Tensor Scan(Tensor a, Tensor b, Tensor? h0) =>
        apply(a, b, h0 ?? zeros(b.shape[0], b.shape[2], dtype: b.dtype, device: b.device));

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (a, b, h0) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
        if (a.dim() != 3 || !a.shape.SequenceEqual(b.shape) || h0.dim() != 2 || h0.shape[0] != a.shape[0] || h0.shape[1] != a.shape[2])
            throw new ArgumentException($"fused scan: a {Shape(a)} and b {Shape(b)} must be (B, T, H) and h0 {Shape(h0)} (B, H)");
        var (device, dtype) = (b.device, b.dtype);
        var work = Native(dtype);
        var (ac, bc, h0c) = (RowBlocks.Prepare(a, work), RowBlocks.Prepare(b, work), RowBlocks.Prepare(h0, work));
        var h = empty_like(bc);
        if (work == float64) RowKernels<double>.Forward(ac, bc, h0c, h);
        else RowKernels<float>.Forward(ac, bc, h0c, h);
        ctx.save_for_backward([ac, h, h0c]);
        ctx.save_data("dtype", dtype);
        ctx.save_data("device", device);
        return h.to(dtype, device);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (a, h, h0) = (saved[0], saved[1], saved[2]);
        var (dtype, device) = ((ScalarType)ctx.get_data("dtype"), (Device)ctx.get_data("device"));
        var g = RowBlocks.Prepare(gradOutput, a.dtype);
        var (gradA, gradB, gradH0) = (empty_like(a), empty_like(a), empty_like(h0));
        if (a.dtype == float64) RowKernels<double>.Backward(a, h, h0, g, gradA, gradB, gradH0);
        else RowKernels<float>.Backward(a, h, h0, g, gradA, gradB, gradH0);
        return [gradA.to(dtype, device), gradB.to(dtype, device), gradH0.to(dtype, device)];
    }

    private static ScalarType Native(ScalarType t) => t == float64 ? float64 : float32;


    private static string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";

    /// <summary>The two passes over contiguous CPU memory, per (batch row, block of H).</summary>
    private static unsafe class RowKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {

        public static void Forward(Tensor a, Tensor b, Tensor h0, Tensor h)
        {
            var (pa, pb, ph0, ph) = (RowBlocks.Address(a), RowBlocks.Address(b), RowBlocks.Address(h0), RowBlocks.Address(h));
            var (batch, steps, width) = ((int)a.shape[0], (int)a.shape[1], (int)a.shape[2]);
            RowBlocks.ForEach(batch, steps, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                for (var t = 0; t < steps; t++)
                {
                    var at = ((long)row * steps + t) * width + j0;
                    var prev = t == 0 ? RowBlocks.At<T>(ph0, (long)row * width + j0, len) : RowBlocks.At<T>(ph, at - width, len);
                    Primitives.FusedMultiplyAdd(RowBlocks.At<T>(pa, at, len), prev, RowBlocks.At<T>(pb, at, len), RowBlocks.At<T>(ph, at, len));
                }
            });
        }

        public static void Backward(Tensor a, Tensor h, Tensor h0, Tensor g, Tensor gradA, Tensor gradB, Tensor gradH0)
        {
            var (pa, ph, ph0, pg) = (RowBlocks.Address(a), RowBlocks.Address(h), RowBlocks.Address(h0), RowBlocks.Address(g));
            var (pgA, pgB, pgH0) = (RowBlocks.Address(gradA), RowBlocks.Address(gradB), RowBlocks.Address(gradH0));
            var (batch, steps, width) = ((int)a.shape[0], (int)a.shape[1], (int)a.shape[2]);
            RowBlocks.ForEach(batch, steps, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var carry = RowBlocks.At<T>(pgH0, (long)row * width + j0, len);      // a_{t+1} ⊙ g_{t+1}; ends as ∂L/∂h0
                carry.Clear();
                for (var t = steps - 1; t >= 0; t--)
                {
                    var at = ((long)row * steps + t) * width + j0;
                    var prev = t == 0 ? RowBlocks.At<T>(ph0, (long)row * width + j0, len) : RowBlocks.At<T>(ph, at - width, len);
                    var gt = RowBlocks.At<T>(pgB, at, len);
                    Primitives.Add(RowBlocks.At<T>(pg, at, len), carry, gt);            // g_t = ∂L/∂h_t + a_{t+1} ⊙ g_{t+1}
                    Primitives.Multiply(gt, prev, RowBlocks.At<T>(pgA, at, len));        // ∂L/∂a_t = g_t ⊙ h_{t-1}
                    Primitives.Multiply(RowBlocks.At<T>(pa, at, len), gt, carry);        // carry = a_t ⊙ g_t
                }
            });
        }



    }
}
