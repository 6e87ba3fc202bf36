using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Scans;

/// <summary>Which min cell a FusedMinScan evaluates.</summary>
public enum MinCellKind { Gru, LstmNormalized, Lstm }

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

    public static Tensor Scan(MinCellKind kind, Tensor preactivations, Tensor? h0)
    {
        if (h0 is null)
        {
            var shape = preactivations.shape;
            h0 = zeros(shape[0], shape[^1] / Chunks(kind), dtype: preactivations.dtype, device: preactivations.device);
        }
        if (is_grad_enabled() && (preactivations.requires_grad || h0.requires_grad))
            return apply(preactivations, h0, kind);
        return Forward(kind, preactivations, h0, out _, out _);          // inference: no autograd node
    }

    private static Tensor Forward(MinCellKind kind, Tensor p, Tensor h0, out Tensor pc, out Tensor h)
    {
        var (shape, shape0) = (p.shape, h0.shape);                        // one native call each: shape is not cheap
        if (shape.Length != 3 || shape0.Length != 2 || shape0[0] != shape[0] || shape[2] != Chunks(kind) * shape0[1])
            throw new ArgumentException($"fused {kind} scan: pre-activations ({string.Join(", ", shape)}) and h0 ({string.Join(", ", shape0)}) do not fit");
        var (batch, steps, width) = ((int)shape[0], (int)shape[1], (int)shape0[1]);
        var work = p.dtype == float64 ? float64 : float32;
        pc = RowBlocks.Prepare(p, work);
        var h0c = RowBlocks.Prepare(h0, work);
        h = empty(batch, steps, width, dtype: work);
        if (work == float64) Kernels<double>.Forward(kind, pc, h0c, h, batch, steps, width);
        else Kernels<float>.Forward(kind, pc, h0c, h, batch, steps, width);
        return h.dtype == p.dtype && p.device_type == TorchSharp.DeviceType.CPU ? h : h.to(p.dtype, p.device);
    }

    private static int Chunks(MinCellKind kind) => kind == MinCellKind.Gru ? 2 : 3;

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (p, h0, kind) = ((Tensor)vars[0], (Tensor)vars[1], (MinCellKind)vars[2]);
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
        var (kind, dtype, device) = ((MinCellKind)ctx.get_data("kind"), (ScalarType)ctx.get_data("dtype"), (Device)ctx.get_data("device"));
        var g = RowBlocks.Prepare(gradOutput, p.dtype);
        var (gradP, gradH0) = (empty_like(p), empty_like(h0));
        if (p.dtype == float64) Kernels<double>.Backward(kind, p, h, h0, g, gradP, gradH0);
        else Kernels<float>.Backward(kind, p, h, h0, g, gradP, gradH0);
        return [gradP.to(dtype, device), gradH0.to(dtype, device), null!];   // kind: not a tensor
    }


    /// <summary>Row kernels over contiguous CPU memory. One work item = (batch row, block of channels), walked
    /// through time; each step's channels go through registers a SIMD vector at a time, straight from and to the
    /// tensors (a partial vector at the end of an odd-sized block goes through a zero-padded buffer).</summary>
    private static unsafe class Kernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static int V => Vector256<T>.Count;

        public static void Forward(MinCellKind kind, Tensor p, Tensor h0, Tensor h, int batch, int steps, int width)
        {
            var (pp, ph0, ph) = (RowBlocks.Address(p), RowBlocks.Address(h0), RowBlocks.Address(h));
            switch (kind)
            {
                case MinCellKind.Gru: Forward<GruStep<T>>(pp, ph0, ph, batch, steps, width); break;
                case MinCellKind.Lstm: Forward<LstmStep<T>>(pp, ph0, ph, batch, steps, width); break;
                default: Forward<LstmNormalizedStep<T>>(pp, ph0, ph, batch, steps, width); break;
            }
        }

        public static void Backward(MinCellKind kind, Tensor p, Tensor h, Tensor h0, Tensor g, Tensor gradP, Tensor gradH0)
        {
            var (batch, steps, width) = ((int)h.shape[0], (int)h.shape[1], (int)h.shape[2]);
            var at = (RowBlocks.Address(p), RowBlocks.Address(h), RowBlocks.Address(h0), RowBlocks.Address(g), RowBlocks.Address(gradP), RowBlocks.Address(gradH0));
            switch (kind)
            {
                case MinCellKind.Gru: Backward<GruStep<T>>(at, batch, steps, width); break;
                case MinCellKind.Lstm: Backward<LstmStep<T>>(at, batch, steps, width); break;
                default: Backward<LstmNormalizedStep<T>>(at, batch, steps, width); break;
            }
        }

        private static void Forward<TStep>(nint pp, nint ph0, nint ph, int batch, int steps, int width) where TStep : struct, IMinStep<T>
        {
            var stride = TStep.Chunks * width;
            RowBlocks.ForEach(batch, steps, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                T* k = (T*)pp + (long)row * steps * stride + j0, h = (T*)ph + (long)row * steps * width + j0;
                var prev = (T*)ph0 + (long)row * width + j0;
                for (var t = 0; t < steps; t++, prev = h, h += width, k += stride)
                    for (var j = 0; j < len; j += V)
                    {
                        var n = Math.Min(V, len - j);
                        var k2 = TStep.Chunks == 3 ? Load(k + 2 * width + j, n) : default;
                        Store(TStep.Forward(Load(k + j, n), Load(k + width + j, n), k2, Load(prev + j, n)), h + j, n);
                    }
            });
        }

        private static void Backward<TStep>((nint P, nint H, nint H0, nint G, nint GradP, nint GradH0) at, int batch, int steps, int width)
            where TStep : struct, IMinStep<T>
        {
            var stride = TStep.Chunks * width;
            RowBlocks.ForEach(batch, steps, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var carry = stackalloc T[RowBlocks.Block];                               // a_{t+1} ⊙ g_{t+1}, starts at 0
                new Span<T>(carry, RowBlocks.Block).Clear();
                var first = (long)row * steps;
                for (var t = steps - 1; t >= 0; t--)
                {
                    T* k = (T*)at.P + (first + t) * stride + j0, dk = (T*)at.GradP + (first + t) * stride + j0;
                    T* grad = (T*)at.G + (first + t) * width + j0;
                    var prev = t == 0 ? (T*)at.H0 + (long)row * width + j0 : (T*)at.H + (first + t - 1) * width + j0;
                    for (var j = 0; j < len; j += V)
                    {
                        var n = Math.Min(V, len - j);
                        var k2 = TStep.Chunks == 3 ? Load(k + 2 * width + j, n) : default;
                        var g = Load(grad + j, n) + Vector256.Load(carry + j);           // g_t = ∂L/∂h_t + a_{t+1} ⊙ g_{t+1}
                        var c = TStep.Backward(Load(k + j, n), Load(k + width + j, n), k2, Load(prev + j, n), g, out var dkh, out var dk1, out var dk2);
                        Vector256.Store(c, carry + j);
                        Store(dkh, dk + j, n);
                        Store(dk1, dk + width + j, n);
                        if (TStep.Chunks == 3) Store(dk2, dk + 2 * width + j, n);
                    }
                }
                new Span<T>(carry, len).CopyTo(new Span<T>((T*)at.GradH0 + (long)row * width + j0, len));   // ∂L/∂h0 = a_1 ⊙ g_1
            });
        }

        /// <summary>n ≤ V elements at p as a vector, zero-padded.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<T> Load(T* p, int n) => n == V ? Vector256.Load(p) : LoadPartial(p, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(Vector256<T> v, T* p, int n)
        {
            if (n == V) v.Store(p);
            else StorePartial(v, p, n);
        }

        private static Vector256<T> LoadPartial(T* p, int n)
        {
            var buffer = stackalloc T[V];
            new Span<T>(buffer, V).Clear();
            new Span<T>(p, n).CopyTo(new Span<T>(buffer, V));
            return Vector256.Load(buffer);
        }

        private static void StorePartial(Vector256<T> v, T* p, int n)
        {
            var buffer = stackalloc T[V];
            v.Store(buffer);
            new Span<T>(buffer, n).CopyTo(new Span<T>(p, n));
        }
    }
}
