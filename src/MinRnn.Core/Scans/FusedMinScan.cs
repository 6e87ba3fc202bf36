using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;
using Primitives = System.Numerics.Tensors.TensorPrimitives;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Scans;

/// <summary>Which min cell a FusedMinScan evaluates.</summary>
public enum MinCellKind { Gru, LstmNormalized, Lstm }

/// <summary>A min cell's gates and recurrence in one pass over its pre-activations (CPU, float32/float64), with
/// the exact gradient in one reverse pass: nothing but the states is stored, gates are recomputed backward.
/// Pre-activations P (B, T, k·H) are the cell's projection in its chunk order — minGRU [k_h | k_z], minLSTM
/// [k_h | k_f | k_i]. Same function as the log-space and sequential paths (BACKGROUND §2):
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
    /// through time; each step copies its slices into lane-padded scratch rows so the math is whole SIMD vectors.</summary>
    private static unsafe class Kernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {

        /// <summary>Scratch rows of one work item; names follow the equations.</summary>
        private sealed class Rows(int padded)
        {
            public readonly T[] Kh = new T[padded], K1 = new T[padded], K2 = new T[padded], SigH = new T[padded],
                S1 = new T[padded], S2 = new T[padded], Prev = new T[padded], Out = new T[padded],
                Grad = new T[padded], Carry = new T[padded], DKh = new T[padded], DK1 = new T[padded], DK2 = new T[padded];

            [ThreadStatic] private static Rows? cached;

            /// <summary>This thread's rows of the given width, Carry zeroed: streaming calls one step at a time, so
            /// allocating them per call would cost more than the step's math.</summary>
            public static Rows Rent(int padded)
            {
                if (cached is null || cached.Kh.Length != padded) cached = new Rows(padded);
                Array.Clear(cached.Carry);
                return cached;
            }
        }

        public static void Forward(MinCellKind kind, Tensor p, Tensor h0, Tensor h, int batch, int steps, int width)
        {
            var (pp, ph0, ph) = (RowBlocks.Address(p), RowBlocks.Address(h0), RowBlocks.Address(h));
            RowBlocks.ForEach(batch, steps, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var r = Rows.Rent(Padded(len));
                for (var t = 0; t < steps; t++)
                {
                    var at = (long)row * steps + t;
                    Load(kind, pp, at, width, j0, len, r);
                    (t == 0 ? RowBlocks.At<T>(ph0, (long)row * width + j0, len) : RowBlocks.At<T>(ph, (at - 1) * width + j0, len)).CopyTo(r.Prev);
                    StepForward(kind, r);
                    r.Out.AsSpan(0, len).CopyTo(RowBlocks.At<T>(ph, at * width + j0, len));
                }
            });
        }

        public static void Backward(MinCellKind kind, Tensor p, Tensor h, Tensor h0, Tensor g, Tensor gradP, Tensor gradH0)
        {
            var (pp, ph, ph0, pg, pgP, pgH0) = (RowBlocks.Address(p), RowBlocks.Address(h), RowBlocks.Address(h0), RowBlocks.Address(g), RowBlocks.Address(gradP), RowBlocks.Address(gradH0));
            var (batch, steps, width) = ((int)h.shape[0], (int)h.shape[1], (int)h.shape[2]);
            var chunks = (int)(p.shape[2] / width);
            RowBlocks.ForEach(batch, steps, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var r = Rows.Rent(Padded(len));                                  // Carry = a_{t+1} ⊙ g_{t+1}, starts at 0
                for (var t = steps - 1; t >= 0; t--)
                {
                    var at = (long)row * steps + t;
                    Load(kind, pp, at, width, j0, len, r);
                    (t == 0 ? RowBlocks.At<T>(ph0, (long)row * width + j0, len) : RowBlocks.At<T>(ph, (at - 1) * width + j0, len)).CopyTo(r.Prev);
                    RowBlocks.At<T>(pg, at * width + j0, len).CopyTo(r.Grad);
                    StepBackward(kind, r);
                    var dk = RowBlocks.At<T>(pgP, at * chunks * width + j0, chunks * width - j0);
                    r.DKh.AsSpan(0, len).CopyTo(dk);
                    r.DK1.AsSpan(0, len).CopyTo(dk.Slice(width, len));
                    if (kind != MinCellKind.Gru) r.DK2.AsSpan(0, len).CopyTo(dk.Slice(2 * width, len));
                }
                r.Carry.AsSpan(0, len).CopyTo(RowBlocks.At<T>(pgH0, (long)row * width + j0, len));  // ∂L/∂h0 = a_1 ⊙ g_1
            });
        }

        /// <summary>Copies k_h and the gate pre-activations of one step and takes their sigmoids.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Load(MinCellKind kind, nint pp, long at, int width, int j0, int len, Rows r)
        {
            var k = RowBlocks.At<T>(pp, at * (kind == MinCellKind.Gru ? 2 : 3) * width + j0, (kind == MinCellKind.Gru ? 2 : 3) * width - j0);
            k[..len].CopyTo(r.Kh);
            k.Slice(width, len).CopyTo(r.K1);
            Sigmoid(r.Kh, r.SigH);
            Sigmoid(r.K1, r.S1);                                                // z | f
            if (kind == MinCellKind.Gru) return;
            k.Slice(2 * width, len).CopyTo(r.K2);
            Sigmoid(r.K2, r.S2);                                                // i
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        private static void StepForward(MinCellKind kind, Rows r)
        {
            var (half, zero) = (Vector256.Create(T.CreateChecked(0.5)), Vector256<T>.Zero);
            Span<Vector256<T>> kh = V(r.Kh), sh = V(r.SigH), s1 = V(r.S1), s2 = V(r.S2), prev = V(r.Prev), h = V(r.Out);
            for (var j = 0; j < h.Length; j++)
            {
                var tilde = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(kh[j], zero), kh[j] + half, sh[j]);  // g(k_h)
                h[j] = kind switch
                {
                    MinCellKind.Gru => prev[j] + s1[j] * (tilde - prev[j]),                           // (1 − z) h + z h̃
                    MinCellKind.Lstm => s1[j] * prev[j] + s2[j] * tilde,                              // f h + i h̃
                    _ => (s1[j] * prev[j] + s2[j] * tilde) / (s1[j] + s2[j]),                        // (f h + i h̃)/(f + i)
                };
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        private static void StepBackward(MinCellKind kind, Rows r)
        {
            var (half, zero, one) = (Vector256.Create(T.CreateChecked(0.5)), Vector256<T>.Zero, Vector256<T>.One);
            Span<Vector256<T>> kh = V(r.Kh), sh = V(r.SigH), s1 = V(r.S1), s2 = V(r.S2), prev = V(r.Prev);
            Span<Vector256<T>> grad = V(r.Grad), carry = V(r.Carry), dkh = V(r.DKh), dk1 = V(r.DK1), dk2 = V(r.DK2);
            for (var j = 0; j < kh.Length; j++)
            {
                var nonNegative = Vector256.GreaterThanOrEqual(kh[j], zero);
                var tilde = Vector256.ConditionalSelect(nonNegative, kh[j] + half, sh[j]);            // g(k_h)
                var slope = Vector256.ConditionalSelect(nonNegative, one, sh[j] * (one - sh[j]));     // g'(k_h)
                var g = grad[j] + carry[j];                                                          // g_t = ∂L/∂h_t + a_{t+1} g_{t+1}
                switch (kind)
                {
                    case MinCellKind.Gru:                                                            // a = 1 − z, b = z
                        var z = s1[j];
                        dkh[j] = g * z * slope;
                        dk1[j] = g * (tilde - prev[j]) * z * (one - z);
                        carry[j] = (one - z) * g;
                        break;
                    case MinCellKind.Lstm:                                                           // a = f, b = i
                        var (f, i) = (s1[j], s2[j]);
                        dkh[j] = g * i * slope;
                        dk1[j] = g * prev[j] * f * (one - f);
                        dk2[j] = g * tilde * i * (one - i);
                        carry[j] = f * g;
                        break;
                    default:                                                                         // a = f' = f/(f+i), b = i' = i/(f+i)
                        var sum = s1[j] + s2[j];
                        var (fn, inorm) = (s1[j] / sum, s2[j] / sum);
                        var dGate = g * (prev[j] - tilde) * fn * inorm;                              // ∂L/∂f' · f' i'
                        dkh[j] = g * inorm * slope;
                        dk1[j] = dGate * (one - s1[j]);                                              // ∂f'/∂k_f = (1 − f) f' i'
                        dk2[j] = -dGate * (one - s2[j]);                                             // ∂f'/∂k_i = −(1 − i) f' i'
                        carry[j] = fn * g;
                        break;
                }
            }
        }

        /// <summary>σ over a padded row: the SIMD float kernel for float32, the library's for float64.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Sigmoid(T[] x, T[] result)
        {
            if (typeof(T) == typeof(float))
                FastSigmoid.Apply(MemoryMarshal.Cast<T, float>(x.AsSpan()), MemoryMarshal.Cast<T, float>(result.AsSpan()));
            else
                Primitives.Sigmoid<T>(x, result);
        }

        private static int Padded(int len) => (len + Vector256<T>.Count - 1) / Vector256<T>.Count * Vector256<T>.Count;

        private static Span<Vector256<T>> V(T[] row) => MemoryMarshal.Cast<T, Vector256<T>>(row.AsSpan());



    }
}
