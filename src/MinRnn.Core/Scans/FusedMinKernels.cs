using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MinRnn.Scans;

/// <summary>The fused scan's kernels for one min-cell step, as an object the autograd node carries from forward to
/// backward.</summary>
internal interface IFusedMinKernels
{
    string Name { get; }
    int Chunks { get; }
    void Forward(Tensor p, Tensor h0, Tensor h, int batch, int steps, int width);
    void Backward(Tensor p, Tensor h, Tensor h0, Tensor g, Tensor gradP, Tensor gradH0);
}

/// <summary>FusedMinScan's row kernels for the step TStep, in float32 or float64 as the tensors are.</summary>
internal sealed unsafe class FusedMinKernels<TStep> : IFusedMinKernels where TStep : struct, IMinStep
{
    public static readonly FusedMinKernels<TStep> Instance = new();

    public string Name => typeof(TStep).Name;

    public int Chunks => TStep.Chunks;

    public void Forward(Tensor p, Tensor h0, Tensor h, int batch, int steps, int width)
    {
        var (pp, ph0, ph) = (RowBlocks.Address(p), RowBlocks.Address(h0), RowBlocks.Address(h));
        switch (p.dtype == float64, Lanes.Resolve(SimdWidth.Auto))
        {
            case (true, SimdWidth.Bits512): Kernels<double, Lanes512<double>>.Forward(pp, ph0, ph, batch, steps, width); break;
            case (true, _): Kernels<double, Lanes256<double>>.Forward(pp, ph0, ph, batch, steps, width); break;
            case (false, SimdWidth.Bits512): Kernels<float, Lanes512<float>>.Forward(pp, ph0, ph, batch, steps, width); break;
            default: Kernels<float, Lanes256<float>>.Forward(pp, ph0, ph, batch, steps, width); break;
        }
    }

    public void Backward(Tensor p, Tensor h, Tensor h0, Tensor g, Tensor gradP, Tensor gradH0)
    {
        var (batch, steps, width) = ((int)h.shape[0], (int)h.shape[1], (int)h.shape[2]);
        var at = (RowBlocks.Address(p), RowBlocks.Address(h), RowBlocks.Address(h0), RowBlocks.Address(g), RowBlocks.Address(gradP), RowBlocks.Address(gradH0));
        switch (p.dtype == float64, Lanes.Resolve(SimdWidth.Auto))
        {
            case (true, SimdWidth.Bits512): Kernels<double, Lanes512<double>>.Backward(at, batch, steps, width); break;
            case (true, _): Kernels<double, Lanes256<double>>.Backward(at, batch, steps, width); break;
            case (false, SimdWidth.Bits512): Kernels<float, Lanes512<float>>.Backward(at, batch, steps, width); break;
            default: Kernels<float, Lanes256<float>>.Backward(at, batch, steps, width); break;
        }
    }

/// <summary>Row kernels over contiguous CPU memory. One work item = (batch row, block of channels), walked
/// through time; each step's channels go through registers a SIMD vector (256 or 512 bits, Lanes.cs) at a time, straight from and to the
/// tensors (a partial vector at the end of an odd-sized block goes through a zero-padded buffer).</summary>
private static unsafe class Kernels<T, TV> where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T>
{
    private static int V => TV.Count;

    public static void Forward(nint pp, nint ph0, nint ph, int batch, int steps, int width)
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
                    var k2 = TStep.Chunks == 3 ? Lanes.Load<TV, T>(k + 2 * width + j, n) : default;
                    Lanes.Store(TStep.Forward<T, TV>(Lanes.Load<TV, T>(k + j, n), Lanes.Load<TV, T>(k + width + j, n), k2, Lanes.Load<TV, T>(prev + j, n)), h + j, n);
                }
        });
    }

    public static void Backward((nint P, nint H, nint H0, nint G, nint GradP, nint GradH0) at, int batch, int steps, int width)
       
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
                    var k2 = TStep.Chunks == 3 ? Lanes.Load<TV, T>(k + 2 * width + j, n) : default;
                    var g = Lanes.Load<TV, T>(grad + j, n) + TV.Load(carry + j);           // g_t = ∂L/∂h_t + a_{t+1} ⊙ g_{t+1}
                    var c = TStep.Backward<T, TV>(Lanes.Load<TV, T>(k + j, n), Lanes.Load<TV, T>(k + width + j, n), k2, Lanes.Load<TV, T>(prev + j, n), g, out var dkh, out var dk1, out var dk2);
                    TV.Store(c, carry + j);
                    Lanes.Store(dkh, dk + j, n);
                    Lanes.Store(dk1, dk + width + j, n);
                    if (TStep.Chunks == 3) Lanes.Store(dk2, dk + 2 * width + j, n);
                }
            }
            new Span<T>(carry, len).CopyTo(new Span<T>((T*)at.GradH0 + (long)row * width + j0, len));   // ∂L/∂h0 = a_1 ⊙ g_1
        });
    }
}
}
