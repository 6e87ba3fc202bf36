using System.Numerics;
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
        var width = preactivations.shape[2] / (kind == MinCellKind.Gru ? 2 : 3);
        return apply(preactivations, h0 ?? zeros(preactivations.shape[0], width, dtype: preactivations.dtype, device: preactivations.device), kind);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (p, h0, kind) = ((Tensor)vars[0], (Tensor)vars[1], (MinCellKind)vars[2]);
        var (dtype, device) = (p.dtype, p.device);
        var work = dtype == float64 ? float64 : float32;
        var (pc, h0c) = (Prepare(p, work), Prepare(h0, work));
        var h = empty(p.shape[0], p.shape[1], h0.shape[1], dtype: work);
        if (work == float64) Kernels<double>.Forward(kind, pc, h0c, h);
        else Kernels<float>.Forward(kind, pc, h0c, h);
        ctx.save_for_backward([pc, h, h0c]);
        ctx.save_data("kind", kind);
        ctx.save_data("dtype", dtype);
        ctx.save_data("device", device);
        return h.to(dtype, device);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (p, h, h0) = (saved[0], saved[1], saved[2]);
        var (kind, dtype, device) = ((MinCellKind)ctx.get_data("kind"), (ScalarType)ctx.get_data("dtype"), (Device)ctx.get_data("device"));
        var g = Prepare(gradOutput, p.dtype);
        var (gradP, gradH0) = (empty_like(p), empty_like(h0));
        if (p.dtype == float64) Kernels<double>.Backward(kind, p, h, h0, g, gradP, gradH0);
        else Kernels<float>.Backward(kind, p, h, h0, g, gradP, gradH0);
        return [gradP.to(dtype, device), gradH0.to(dtype, device), null!];   // kind: not a tensor
    }

    private static Tensor Prepare(Tensor t, ScalarType work) => t.detach().to(work, CPU).contiguous();

    private static unsafe class Kernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int Block = 256;
        private static readonly T Half = T.CreateChecked(0.5);

        public static void Forward(MinCellKind kind, Tensor p, Tensor h0, Tensor h)
        {
            var (pp, ph0, ph) = (Address(p), Address(h0), Address(h));
            var (batch, steps, width) = ((int)h.shape[0], (int)h.shape[1], (int)h.shape[2]);
            var chunks = (int)(p.shape[2] / width);
            ForEachBlock(batch, steps, width, (row, j0, len) =>
            {
                var (gate, other, tilde) = (new T[len], new T[len], new T[len]);
                for (var t = 0; t < steps; t++)
                {
                    var at = (long)row * steps + t;
                    var prev = t == 0 ? At(ph0, (long)row * width + j0, len) : At(ph, (at - 1) * width + j0, len);
                    var k = (nint)((T*)pp + at * chunks * width + j0);
                    var hOut = At(ph, at * width + j0, len);
                    G(At(k, 0, len), tilde);                                          // h̃ = g(k_h)
                    Gates(kind, k, width, len, gate, other);                          // a-gate (1 − z | f | f'), b-gate (z | i | i')
                    Primitives.Multiply(gate, prev, hOut);                            // a ⊙ h_prev
                    Primitives.FusedMultiplyAdd(other, tilde, hOut, hOut);            // + b ⊙ h̃
                }
            });
        }

        public static void Backward(MinCellKind kind, Tensor p, Tensor h, Tensor h0, Tensor g, Tensor gradP, Tensor gradH0)
        {
            var (pp, ph, ph0, pg, pgP, pgH0) = (Address(p), Address(h), Address(h0), Address(g), Address(gradP), Address(gradH0));
            var (batch, steps, width) = ((int)h.shape[0], (int)h.shape[1], (int)h.shape[2]);
            var chunks = (int)(p.shape[2] / width);
            ForEachBlock(batch, steps, width, (row, j0, len) =>
            {
                var (a, b, tilde, dTilde, gt, tmp) = (new T[len], new T[len], new T[len], new T[len], new T[len], new T[len]);
                var carry = At(pgH0, (long)row * width + j0, len);                  // a_{t+1} ⊙ g_{t+1}; ends as ∂L/∂h0
                carry.Clear();
                for (var t = steps - 1; t >= 0; t--)
                {
                    var at = (long)row * steps + t;
                    var prev = t == 0 ? At(ph0, (long)row * width + j0, len) : At(ph, (at - 1) * width + j0, len);
                    var k = (nint)((T*)pp + at * chunks * width + j0);
                    var dk = (nint)((T*)pgP + at * chunks * width + j0);
                    Primitives.Add(At(pg, at * width + j0, len), carry, gt);          // g_t = ∂L/∂h_t + a_{t+1} ⊙ g_{t+1}
                    GAndDerivative(At(k, 0, len), tilde, dTilde);
                    Gates(kind, k, width, len, a, b);
                    Primitives.Multiply(a, gt, carry);                                // next carry = a_t ⊙ g_t
                    Primitives.Multiply(gt, b, tmp);                                  // ∂L/∂k_h = g_t ⊙ b ⊙ g'(k_h)
                    Primitives.Multiply(tmp, dTilde, At(dk, 0, len));
                    GateGradients(kind, k, dk, width, len, a, b, gt, prev, tilde, tmp);
                }
            });
        }

        /// <summary>a and b of h = a ⊙ h_prev + b ⊙ h̃ from the gate pre-activations at k + width (and k + 2·width).</summary>
        private static void Gates(MinCellKind kind, nint k, int width, int len, Span<T> a, Span<T> b)
        {
            switch (kind)
            {
                case MinCellKind.Gru:
                    Primitives.Sigmoid(At(k, width, len), b);                         // z
                    Primitives.Negate(At(k, width, len), a);
                    Primitives.Sigmoid(a, a);                                         // 1 − z = σ(−k_z), exact
                    break;
                case MinCellKind.Lstm:
                    Primitives.Sigmoid(At(k, width, len), a);                         // f
                    Primitives.Sigmoid(At(k, 2 * width, len), b);                     // i
                    break;
                default:
                    Primitives.Sigmoid(At(k, width, len), a);
                    Primitives.Sigmoid(At(k, 2 * width, len), b);
                    for (var j = 0; j < len; j++)                                     // f' = f/(f+i), i' = i/(f+i)
                    {
                        var s = a[j] + b[j];
                        (a[j], b[j]) = (a[j] / s, b[j] / s);
                    }
                    break;
            }
        }

        /// <summary>∂L/∂(gate pre-activations), written at dk + width (and dk + 2·width).</summary>
        private static void GateGradients(MinCellKind kind, nint k, nint dk, int width, int len,
            Span<T> a, Span<T> b, Span<T> gt, Span<T> prev, Span<T> tilde, Span<T> tmp)
        {
            var one = T.One;
            switch (kind)
            {
                case MinCellKind.Gru:                                                 // ∂L/∂k_z = g_t (h̃ − h_prev) z (1 − z)
                    var dz = At(dk, width, len);
                    for (var j = 0; j < len; j++) dz[j] = gt[j] * (tilde[j] - prev[j]) * a[j] * b[j];
                    break;
                case MinCellKind.Lstm:                                                // ∂k_f = g h_prev f(1−f), ∂k_i = g h̃ i(1−i)
                    var df = At(dk, width, len);
                    var di = At(dk, 2 * width, len);
                    for (var j = 0; j < len; j++)
                    {
                        df[j] = gt[j] * prev[j] * a[j] * (one - a[j]);
                        di[j] = gt[j] * tilde[j] * b[j] * (one - b[j]);
                    }
                    break;
                default:                                                              // ∂f'/∂k_f = (1−f) f' i', ∂f'/∂k_i = −(1−i) f' i'
                    var dfn = At(dk, width, len);
                    var din = At(dk, 2 * width, len);
                    var kf = At(k, width, len);
                    var ki = At(k, 2 * width, len);
                    Primitives.Sigmoid(kf, tmp);
                    for (var j = 0; j < len; j++)
                    {
                        var dGate = gt[j] * (prev[j] - tilde[j]) * a[j] * b[j];        // ∂L/∂f' · f' i'
                        dfn[j] = dGate * (one - tmp[j]);
                    }
                    Primitives.Sigmoid(ki, tmp);
                    for (var j = 0; j < len; j++)
                        din[j] = -gt[j] * (prev[j] - tilde[j]) * a[j] * b[j] * (one - tmp[j]);
                    break;
            }
        }

        /// <summary>g(x) = x + ½ for x ≥ 0, σ(x) otherwise.</summary>
        private static void G(Span<T> x, Span<T> result)
        {
            Primitives.Sigmoid(x, result);
            for (var j = 0; j < x.Length; j++)
                if (x[j] >= T.Zero) result[j] = x[j] + Half;
        }

        /// <summary>g(x) and g'(x) = 1 for x ≥ 0, σ(x)(1 − σ(x)) otherwise.</summary>
        private static void GAndDerivative(Span<T> x, Span<T> value, Span<T> derivative)
        {
            Primitives.Sigmoid(x, value);
            for (var j = 0; j < x.Length; j++)
            {
                var nonNegative = x[j] >= T.Zero;
                derivative[j] = nonNegative ? T.One : value[j] * (T.One - value[j]);
                if (nonNegative) value[j] = x[j] + Half;
            }
        }

        private static Span<T> At(nint address, long offset, int length) => new((T*)address + offset, length);

        private static nint Address(Tensor t) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

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
