using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Scans;

/// <summary>Per-item partial gradients of the selective scan: U, Δ (B, T, E); A per row (B, N, E); B and C per row and
/// channel block (B, blocks, T, N); D per row (B, E); h0 (B, E, N). The caller sums the partials.</summary>
internal sealed record SelectiveGradients(Tensor U, Tensor Delta, Tensor A, Tensor B, Tensor C, Tensor D, Tensor H0);

/// <summary>The selective scan's row kernels (FusedSelectiveScan). One work item = (batch row, block of channels), walked
/// through time; SIMD over channels (256- or 512-bit lanes, Lanes.cs), a loop over the N states of each, so C_t · h_t needs no horizontal sum. The item's
/// state h (N × block) stays in a small buffer; B_t and C_t are broadcast scalars.</summary>
internal static unsafe class SelectiveKernels
{
    /// <summary>Channels per work item: N × Block states stay in L1.</summary>
    public const int Block = 64;

    /// <summary>w = [U, Δ, Aᵀ, B, C, D, h0] (FusedSelectiveScan.Prepare) → y, h_T, on registers of the given width.</summary>
    public static void Forward(Tensor[] w, Tensor y, Tensor state, SimdWidth width)
    {
        var m = Memory.Of(w);
        var (py, ps) = (RowBlocks.Address(y), RowBlocks.Address(state));
        switch (w[0].dtype == float64, Lanes.Resolve(width))
        {
            case (true, SimdWidth.Bits512): Kernels<double, Lanes512<double>>.Forward(m, py, ps); break;
            case (true, _): Kernels<double, Lanes256<double>>.Forward(m, py, ps); break;
            case (false, SimdWidth.Bits512): Kernels<float, Lanes512<float>>.Forward(m, py, ps); break;
            default: Kernels<float, Lanes256<float>>.Forward(m, py, ps); break;
        }
    }

    public static void Backward(Tensor[] w, Tensor gy, Tensor gState, SelectiveGradients g, SimdWidth width)
    {
        var m = Memory.Of(w);
        var grads = new GradientMemory(RowBlocks.Address(gy), RowBlocks.Address(gState), RowBlocks.Address(g.U), RowBlocks.Address(g.Delta),
            RowBlocks.Address(g.A), RowBlocks.Address(g.B), RowBlocks.Address(g.C), RowBlocks.Address(g.D), RowBlocks.Address(g.H0));
        switch (w[0].dtype == float64, Lanes.Resolve(width))
        {
            case (true, SimdWidth.Bits512): Kernels<double, Lanes512<double>>.Backward(m, grads); break;
            case (true, _): Kernels<double, Lanes256<double>>.Backward(m, grads); break;
            case (false, SimdWidth.Bits512): Kernels<float, Lanes512<float>>.Backward(m, grads); break;
            default: Kernels<float, Lanes256<float>>.Backward(m, grads); break;
        }
    }

    private readonly record struct Memory(nint U, nint Delta, nint At, nint B, nint C, nint D, nint H0, int Batch, int Steps, int Width, int N)
    {
        public static Memory Of(Tensor[] w) => new(RowBlocks.Address(w[0]), RowBlocks.Address(w[1]), RowBlocks.Address(w[2]), RowBlocks.Address(w[3]),
            RowBlocks.Address(w[4]), RowBlocks.Address(w[5]), RowBlocks.Address(w[6]), (int)w[0].shape[0], (int)w[0].shape[1], (int)w[0].shape[2], (int)w[2].shape[0]);
    }

    private readonly record struct GradientMemory(nint Y, nint State, nint U, nint Delta, nint A, nint B, nint C, nint D, nint H0);

    private static class Kernels<T, TV> where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T>
    {
        private static int V => TV.Count;

        public static void Forward(Memory m, nint py, nint pState)
        {
            RowBlocks.ForEach(m.Batch, m.Steps, m.Width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var padded = Padded(len);
                var h = (T*)NativeMemory.AllocZeroed((nuint)(m.N * padded * sizeof(T)));
                try
                {
                    Gather((T*)m.H0, h, m, row, j0, len, padded);
                    for (var t = 0; t < m.Steps; t++)
                        Step(m, (long)row * m.Steps + t, j0, len, padded, h, h, (T*)py);
                    Scatter(h, (T*)pState, m, row, j0, len, padded);
                }
                finally { NativeMemory.Free(h); }
            }, Block, m.N);
        }

        /// <summary>One step for the item's channels: h_next = exp(Δ A) ⊙ h_prev + Δ x B_t, y_t = C_t · h_next + D x
        /// (y_t skipped when y is null). h_prev may be h_next.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Step(Memory m, long bt, int j0, int len, int padded, T* prev, T* next, T* y)
        {
            T* u = (T*)m.U + bt * m.Width + j0, dl = (T*)m.Delta + bt * m.Width + j0, at = (T*)m.At + j0, d = (T*)m.D + j0;
            T* b = (T*)m.B + bt * m.N, c = (T*)m.C + bt * m.N;
            for (var j = 0; j < len; j += V)
            {
                var k = Math.Min(V, len - j);
                var (delta, x) = (Lanes.Load<TV, T>(dl + j, k), Lanes.Load<TV, T>(u + j, k));
                var dx = delta * x;
                var acc = Lanes.Load<TV, T>(d + j, k) * x;
                for (var i = 0; i < m.N; i++)
                {
                    var a = TV.Exp(delta * Lanes.Load<TV, T>(at + (long)i * m.Width + j, k));
                    var h = a * TV.Load(prev + i * padded + j) + dx * TV.Create(b[i]);
                    TV.Store(h, next + i * padded + j);
                    acc += TV.Create(c[i]) * h;
                }
                if (y != null) Lanes.Store(acc, y + bt * m.Width + j0 + j, k);
            }
        }

        public static void Backward(Memory m, GradientMemory g)
        {
            var blocks = (m.Width + Block - 1) / Block;
            RowBlocks.ForEach(m.Batch, m.Steps, m.Width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (row, j0, len) =>
            {
                var padded = Padded(len);
                var stride = m.N * padded;
                // h0, the states h_1..h_T recomputed, the carry a_{t+1} ⊙ g_{t+1}, ∂L/∂A's and ∂L/∂D's partials, B's and C's lanes
                var buffer = (T*)NativeMemory.AllocZeroed((nuint)(((m.Steps + 3L) * stride + padded + 2L * m.N * V) * sizeof(T)));
                try
                {
                    T* h0 = buffer, states = h0 + stride, carry = states + (long)m.Steps * stride, dA = carry + stride;
                    T* dD = dA + stride, accB = dD + padded, accC = accB + m.N * V;
                    Gather((T*)m.H0, h0, m, row, j0, len, padded);
                    Gather((T*)g.State, carry, m, row, j0, len, padded);                     // ∂L/∂h_T
                    for (var t = 0; t < m.Steps; t++)
                        Step(m, (long)row * m.Steps + t, j0, len, padded, t == 0 ? h0 : states + (t - 1L) * stride, states + (long)t * stride, null);
                    for (var t = m.Steps - 1; t >= 0; t--)
                    {
                        var bt = (long)row * m.Steps + t;
                        new Span<T>(accB, 2 * m.N * V).Clear();
                        StepBack(m, g, bt, j0, len, padded, t == 0 ? h0 : states + (t - 1L) * stride, states + (long)t * stride, carry, dA, dD, accB, accC);
                        var partial = (((long)row * blocks + j0 / Block) * m.Steps + t) * m.N;
                        for (var i = 0; i < m.N; i++)
                        {
                            ((T*)g.B)[partial + i] = TV.Sum(TV.Load(accB + i * V));
                            ((T*)g.C)[partial + i] = TV.Sum(TV.Load(accC + i * V));
                        }
                    }
                    Scatter(carry, (T*)g.H0, m, row, j0, len, padded);                        // ∂L/∂h0 = a_1 ⊙ g_1
                    for (var i = 0; i < m.N; i++)
                        new Span<T>(dA + i * padded, len).CopyTo(new Span<T>((T*)g.A + ((long)row * m.N + i) * m.Width + j0, len));
                    new Span<T>(dD, len).CopyTo(new Span<T>((T*)g.D + (long)row * m.Width + j0, len));
                }
                finally { NativeMemory.Free(buffer); }
            }, Block, m.N);
        }

        /// <summary>Step t backward. With g = ∂L/∂h_t = C_t ∂L/∂y_t + carry and a = exp(Δ A), b = Δ x B_t:
        /// ∂L/∂a = g h_{t−1} (so ∂L/∂Δ gets Σ_n ∂L/∂a · a A, ∂L/∂A gets ∂L/∂a · a Δ), ∂L/∂b = g (so ∂L/∂(Δx) = Σ_n g B_t,
        /// ∂L/∂B_t = Σ_channels g Δ x), ∂L/∂C_t = Σ_channels ∂L/∂y_t h_t, ∂L/∂x gets D ∂L/∂y_t, ∂L/∂D gets ∂L/∂y_t x;
        /// the carry becomes a ⊙ g.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StepBack(Memory m, GradientMemory g, long bt, int j0, int len, int padded, T* prev, T* cur, T* carry, T* dA, T* dD, T* accB, T* accC)
        {
            long at = bt * m.Width + j0;
            T* u = (T*)m.U + at, dl = (T*)m.Delta + at, gy = (T*)g.Y + at, gu = (T*)g.U + at, gdl = (T*)g.Delta + at;
            T* aT = (T*)m.At + j0, d = (T*)m.D + j0, b = (T*)m.B + bt * m.N, c = (T*)m.C + bt * m.N;
            for (var j = 0; j < len; j += V)
            {
                var k = Math.Min(V, len - j);
                var (delta, x, dy) = (Lanes.Load<TV, T>(dl + j, k), Lanes.Load<TV, T>(u + j, k), Lanes.Load<TV, T>(gy + j, k));
                var dx = delta * x;
                var (gDelta, gDx) = (TV.Zero, TV.Zero);
                for (var i = 0; i < m.N; i++)
                {
                    var A = Lanes.Load<TV, T>(aT + (long)i * m.Width + j, k);
                    var a = TV.Exp(delta * A);
                    T* pc = carry + i * padded + j, pp = prev + i * padded + j, pa = dA + i * padded + j;
                    TV.Store(TV.Load(accC + i * V) + dy * TV.Load(cur + i * padded + j), accC + i * V);
                    var grad = TV.Load(pc) + TV.Create(c[i]) * dy;              // ∂L/∂h_t
                    var gA = grad * TV.Load(pp) * a;                                  // ∂L/∂(ΔA)
                    gDelta += gA * A;
                    TV.Store(TV.Load(pa) + gA * delta, pa);
                    gDx += grad * TV.Create(b[i]);
                    TV.Store(TV.Load(accB + i * V) + grad * dx, accB + i * V);
                    TV.Store(a * grad, pc);
                }
                var D = Lanes.Load<TV, T>(d + j, k);
                Lanes.Store(gDelta + gDx * x, gdl + j, k);
                Lanes.Store(gDx * delta + D * dy, gu + j, k);
                TV.Store(TV.Load(dD + j) + dy * x, dD + j);
            }
        }

        private static int Padded(int len) => (len + V - 1) / V * V;

        /// <summary>Rows (E, N) of a (B, E, N) tensor into the item's layout (N, padded channels).</summary>
        private static void Gather(T* from, T* to, Memory m, int row, int j0, int len, int padded)
        {
            for (var j = 0; j < len; j++)
                for (var i = 0; i < m.N; i++)
                    to[i * padded + j] = from[((long)row * m.Width + j0 + j) * m.N + i];
        }

        private static void Scatter(T* from, T* to, Memory m, int row, int j0, int len, int padded)
        {
            for (var j = 0; j < len; j++)
                for (var i = 0; i < m.N; i++)
                    to[((long)row * m.Width + j0 + j) * m.N + i] = from[i * padded + j];
        }
    }
}
