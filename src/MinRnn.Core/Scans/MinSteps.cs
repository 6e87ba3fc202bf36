using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MinRnn.Scans;

/// <summary>One SIMD register of channels (Lanes.cs: 256 or 512 bits) of one min-cell step (docs/MODELS.md, "Cells" and "Three ways"), in registers. k_h is the
/// candidate's pre-activation, k1 the first gate's (z or f), k2 the second's (i, minLSTM only).</summary>
internal interface IMinStep
{
    /// <summary>Pre-activation chunks per step: [k_h | k1] or [k_h | k1 | k2].</summary>
    static abstract int Chunks { get; }

    /// <summary>h_t from the pre-activations and h_{t−1}.</summary>
    static abstract TV Forward<T, TV>(TV kh, TV k1, TV k2, TV prev) where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T>;

    /// <summary>Given g = ∂L/∂h_t (the carried part included), the pre-activation gradients; returns the
    /// carry a_t ⊙ g that step t − 1 adds to its own ∂L/∂h.</summary>
    static abstract TV Backward<T, TV>(TV kh, TV k1, TV k2, TV prev, TV g, out TV dkh, out TV dk1, out TV dk2)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T>;
}

/// <summary>minGRU: h = (1 − z) ⊙ h_prev + z ⊙ g(k_h), z = σ(k1).</summary>
internal readonly struct GruStep : IMinStep
{
    public static int Chunks => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<T, TV>(TV kh, TV k1, TV k2, TV prev) where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T> =>
        prev + TV.Sigmoid(k1) * (Lanes.G<TV, T>(kh) - prev);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Backward<T, TV>(TV kh, TV k1, TV k2, TV prev, TV g, out TV dkh, out TV dk1, out TV dk2)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T>
    {
        var (z, tilde) = (TV.Sigmoid(k1), Lanes.G<TV, T>(kh, out var slope));
        var carry = (TV.One - z) * g;                                      // a = 1 − z
        dkh = g * z * slope;
        dk1 = g * z * (tilde - prev) * (TV.One - z);
        dk2 = default;
        return carry;
    }
}

/// <summary>minLSTM: h = f ⊙ h_prev + i ⊙ g(k_h), f = σ(k1), i = σ(k2).</summary>
internal readonly struct LstmStep : IMinStep
{
    public static int Chunks => 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<T, TV>(TV kh, TV k1, TV k2, TV prev) where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T> =>
        TV.Sigmoid(k1) * prev + TV.Sigmoid(k2) * Lanes.G<TV, T>(kh);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Backward<T, TV>(TV kh, TV k1, TV k2, TV prev, TV g, out TV dkh, out TV dk1, out TV dk2)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T>
    {
        var (f, i, tilde) = (TV.Sigmoid(k1), TV.Sigmoid(k2), Lanes.G<TV, T>(kh, out var slope));
        var gi = g * i;
        dkh = gi * slope;
        dk1 = g * prev * f * (TV.One - f);
        dk2 = gi * tilde * (TV.One - i);
        return f * g;
    }
}

/// <summary>minLSTM with normalised gates: h = f' ⊙ h_prev + i' ⊙ g(k_h), f' = f/(f + i), i' = i/(f + i).</summary>
internal readonly struct LstmNormalizedStep : IMinStep
{
    public static int Chunks => 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<T, TV>(TV kh, TV k1, TV k2, TV prev) where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T>
    {
        var (f, i) = (TV.Sigmoid(k1), TV.Sigmoid(k2));
        return (f * prev + i * Lanes.G<TV, T>(kh)) / (f + i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Backward<T, TV>(TV kh, TV k1, TV k2, TV prev, TV g, out TV dkh, out TV dk1, out TV dk2)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ILanes<TV, T>
    {
        var (f, i, tilde) = (TV.Sigmoid(k1), TV.Sigmoid(k2), Lanes.G<TV, T>(kh, out var slope));
        var reciprocal = TV.One / (f + i);
        var (fn, inorm) = (f * reciprocal, i * reciprocal);
        var dGate = g * (prev - tilde) * fn * inorm;                                 // ∂L/∂f' · f' i'
        dkh = g * inorm * slope;
        dk1 = dGate * (TV.One - f);                                        // ∂f'/∂k_f = (1 − f) f' i'
        dk2 = -dGate * (TV.One - i);                                       // ∂f'/∂k_i = −(1 − i) f' i'
        return fn * g;
    }
}

/// <summary>Elementwise functions on 256-bit registers (Lanes256, the conv kernels).</summary>
internal static class Simd<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>σ(x): the SIMD float kernel for float32; e^x of the runtime (≈ 1 ulp) for float64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return FastSigmoid.Of(x.As<T, float>()).As<float, T>();
        var one = Vector256<double>.One;
        return (one / (one + Vector256.Exp(-x.As<T, double>()))).As<double, T>();
    }

    /// <summary>e^x: FastSigmoid's SIMD kernel for float32, the runtime's (≈ 1 ulp) for float64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> x) =>
        typeof(T) == typeof(float) ? FastSigmoid.Exp(x.As<T, float>()).As<float, T>() : Vector256.Exp(x.As<T, double>()).As<double, T>();

    /// <summary>n ≤ V elements at p as a vector, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<T> Load(T* p, int n) => n == Vector256<T>.Count ? Vector256.Load(p) : LoadPartial(p, n);

    /// <summary>The first n ≤ V lanes of v to p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector256<T> v, T* p, int n)
    {
        if (n == Vector256<T>.Count) v.Store(p);
        else StorePartial(v, p, n);
    }

    private static unsafe Vector256<T> LoadPartial(T* p, int n)
    {
        var buffer = stackalloc T[Vector256<T>.Count];
        new Span<T>(buffer, Vector256<T>.Count).Clear();
        new Span<T>(p, n).CopyTo(new Span<T>(buffer, Vector256<T>.Count));
        return Vector256.Load(buffer);
    }

    private static unsafe void StorePartial(Vector256<T> v, T* p, int n)
    {
        var buffer = stackalloc T[Vector256<T>.Count];
        v.Store(buffer);
        new Span<T>(buffer, n).CopyTo(new Span<T>(p, n));
    }
}
