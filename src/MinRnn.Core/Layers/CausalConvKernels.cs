using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MinRnn.Scans;

namespace MinRnn.Layers;

/// <summary>The causal depthwise conv's row kernels (FusedCausalConv) over contiguous CPU memory: one work item = (batch row,
/// block of channels) walked through time, SIMD over channels. Position s of the padded sequence p = [past; x] is past_s for
/// s &lt; k − 1 and x_{s−k+1} after; Wᵀ is (k, d), so one tap's coefficients over channels are contiguous.</summary>
internal static unsafe class CausalConvKernels
{
    /// <summary>x (B, T, d), past (B, k − 1, d), Wᵀ (k, d), bias (d).</summary>
    public readonly record struct Memory(nint X, nint Past, nint WeightT, nint Bias, int Batch, int Steps, int Width, int Kernel);

    /// <summary>∂L/∂y (B, T, d) in; ∂L/∂x, ∂L/∂past, and per batch row ∂L/∂Wᵀ (B, k, d) and ∂L/∂bias (B, d) (zeroed) out.</summary>
    public readonly record struct Gradients(nint Y, nint X, nint Past, nint WeightT, nint Bias);

    public static void Forward<T>(Memory m, nint y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels<T>.Forward(m, y);

    public static void Backward<T>(Memory m, Gradients g) where T : unmanaged, IFloatingPointIeee754<T> => Kernels<T>.Backward(m, g);

    private static class Kernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static int V => Vector256<T>.Count;

        /// <summary>y_t = bias + Σ_i W_i ⊙ p_{t+i}.</summary>
        public static void Forward(Memory m, nint py)
        {
            RowBlocks.ForEach(m.Batch, m.Steps, m.Width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var taps = stackalloc nint[m.Kernel];
                for (var t = 0; t < m.Steps; t++)
                {
                    for (var i = 0; i < m.Kernel; i++) taps[i] = Padded(m, m.X, m.Past, row, t + i);
                    T* y = (T*)py + ((long)row * m.Steps + t) * m.Width + j0, w = (T*)m.WeightT + j0;
                    for (var j = 0; j < len; j += V)
                    {
                        var n = Math.Min(V, len - j);
                        var acc = Simd<T>.Load((T*)m.Bias + j0 + j, n);
                        for (var i = 0; i < m.Kernel; i++)
                            acc += Simd<T>.Load(w + (long)i * m.Width + j, n) * Simd<T>.Load((T*)taps[i] + j0 + j, n);
                        Simd<T>.Store(acc, y + j, n);
                    }
                }
            }, work: m.Kernel);
        }

        /// <summary>∂L/∂p_s = Σ_i W_i ⊙ ∂L/∂y_{s−i} (terms with 0 ≤ s − i &lt; T); ∂L/∂W_i = Σ_t ∂L/∂y_t ⊙ p_{t+i};
        /// ∂L/∂bias = Σ_t ∂L/∂y_t.</summary>
        public static void Backward(Memory m, Gradients g)
        {
            RowBlocks.ForEach(m.Batch, m.Steps, m.Width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var taps = stackalloc nint[m.Kernel];
                T* gw = (T*)g.WeightT + (long)row * m.Kernel * m.Width + j0, gb = (T*)g.Bias + (long)row * m.Width + j0, w = (T*)m.WeightT + j0;
                for (var s = 0; s < m.Steps + m.Kernel - 1; s++)
                {
                    var (first, last) = (Math.Max(0, s - m.Steps + 1), Math.Min(m.Kernel - 1, s));   // taps i with y_{s−i} in range
                    T* gp = (T*)Padded(m, g.X, g.Past, row, s);
                    for (var j = 0; j < len; j += V)
                    {
                        var n = Math.Min(V, len - j);
                        var acc = Vector256<T>.Zero;
                        for (var i = first; i <= last; i++)
                            acc += Simd<T>.Load(w + (long)i * m.Width + j, n) * Simd<T>.Load((T*)g.Y + ((long)row * m.Steps + s - i) * m.Width + j0 + j, n);
                        Simd<T>.Store(acc, gp + j0 + j, n);
                    }
                    if (s >= m.Steps) continue;
                    for (var i = 0; i < m.Kernel; i++) taps[i] = Padded(m, m.X, m.Past, row, s + i);
                    T* gy = (T*)g.Y + ((long)row * m.Steps + s) * m.Width + j0;
                    for (var j = 0; j < len; j += V)
                    {
                        var n = Math.Min(V, len - j);
                        var dy = Simd<T>.Load(gy + j, n);
                        Simd<T>.Store(Simd<T>.Load(gb + j, n) + dy, gb + j, n);
                        for (var i = 0; i < m.Kernel; i++)
                        {
                            T* pw = gw + (long)i * m.Width + j;
                            Simd<T>.Store(Simd<T>.Load(pw, n) + dy * Simd<T>.Load((T*)taps[i] + j0 + j, n), pw, n);
                        }
                    }
                }
            }, work: m.Kernel);
        }

        /// <summary>Row s of p = [past; x] for batch row `row` (in x's or in its gradient's memory).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static nint Padded(Memory m, nint x, nint past, int row, int s) =>
            s < m.Kernel - 1
                ? (nint)((T*)past + ((long)row * (m.Kernel - 1) + s) * m.Width)
                : (nint)((T*)x + ((long)row * m.Steps + s - m.Kernel + 1) * m.Width);
    }
}
