using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;
using Primitives = System.Numerics.Tensors.TensorPrimitives;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Scans;

/// <summary>The fused CPU scan (BACKGROUND §3.3) as an autograd function: h_t = a_t ⊙ h_{t-1} + b_t in one pass
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
        var (ac, bc, h0c) = (Prepare(a, work), Prepare(b, work), Prepare(h0, work));
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
        var g = Prepare(gradOutput, a.dtype);
        var (gradA, gradB, gradH0) = (empty_like(a), empty_like(a), empty_like(h0));
        if (a.dtype == float64) RowKernels<double>.Backward(a, h, h0, g, gradA, gradB, gradH0);
        else RowKernels<float>.Backward(a, h, h0, g, gradA, gradB, gradH0);
        return [gradA.to(dtype, device), gradB.to(dtype, device), gradH0.to(dtype, device)];
    }

    private static ScalarType Native(ScalarType t) => t == float64 ? float64 : float32;

    /// <summary>The tensor as contiguous CPU memory of the working dtype (itself when it already is).</summary>
    private static Tensor Prepare(Tensor t, ScalarType work) =>
        t.dtype == work && t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous() ? t : t.detach().to(work, CPU).contiguous();

    private static string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";

    /// <summary>The two passes over contiguous CPU memory, per (batch row, block of H).</summary>
    private static unsafe class RowKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int Block = 256;   // channels per work item: keeps a few rows of T in L1

        public static void Forward(Tensor a, Tensor b, Tensor h0, Tensor h)
        {
            var (pa, pb, ph0, ph) = (Address(a), Address(b), Address(h0), Address(h));
            var (batch, steps, width) = ((int)a.shape[0], (int)a.shape[1], (int)a.shape[2]);
            ForEachBlock(batch, steps, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                for (var t = 0; t < steps; t++)
                {
                    var at = ((long)row * steps + t) * width + j0;
                    var prev = t == 0 ? At(ph0, (long)row * width + j0, len) : At(ph, at - width, len);
                    Primitives.FusedMultiplyAdd(At(pa, at, len), prev, At(pb, at, len), At(ph, at, len));
                }
            });
        }

        public static void Backward(Tensor a, Tensor h, Tensor h0, Tensor g, Tensor gradA, Tensor gradB, Tensor gradH0)
        {
            var (pa, ph, ph0, pg) = (Address(a), Address(h), Address(h0), Address(g));
            var (pgA, pgB, pgH0) = (Address(gradA), Address(gradB), Address(gradH0));
            var (batch, steps, width) = ((int)a.shape[0], (int)a.shape[1], (int)a.shape[2]);
            ForEachBlock(batch, steps, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var carry = At(pgH0, (long)row * width + j0, len);      // a_{t+1} ⊙ g_{t+1}; ends as ∂L/∂h0
                carry.Clear();
                for (var t = steps - 1; t >= 0; t--)
                {
                    var at = ((long)row * steps + t) * width + j0;
                    var prev = t == 0 ? At(ph0, (long)row * width + j0, len) : At(ph, at - width, len);
                    var gt = At(pgB, at, len);
                    Primitives.Add(At(pg, at, len), carry, gt);            // g_t = ∂L/∂h_t + a_{t+1} ⊙ g_{t+1}
                    Primitives.Multiply(gt, prev, At(pgA, at, len));        // ∂L/∂a_t = g_t ⊙ h_{t-1}
                    Primitives.Multiply(At(pa, at, len), gt, carry);        // carry = a_t ⊙ g_t
                }
            });
        }

        private static Span<T> At(nint address, long offset, int length) => new((T*)address + offset, length);

        /// <summary>Address of a contiguous CPU tensor's first element (its memory is native, it does not move).</summary>
        private static nint Address(Tensor t) =>
            (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

        private static void ForEachBlock(int batch, int steps, int width, Action<int, int, int> body)
        {
            var blocks = (width + Block - 1) / Block;
            var items = batch * blocks;
            void Run(int i) { var (row, k) = Math.DivRem(i, blocks); var j0 = k * Block; body(row, j0, Math.Min(Block, width - j0)); }
            var threads = Math.Min(items, get_num_threads());
            if (threads <= 1 || (long)batch * steps * width < 16_384)
                for (var i = 0; i < items; i++) Run(i);
            else
                Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, Run);
        }
    }
}
