using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MinRnn.Scans;

/// <summary>One SIMD vector of channels of one min-cell step (docs/MODELS.md, "Cells" and "Three ways"), in registers. k_h is the
/// candidate's pre-activation, k1 the first gate's (z or f), k2 the second's (i, minLSTM only).</summary>
internal interface IMinStep
{
    /// <summary>Pre-activation chunks per step: [k_h | k1] or [k_h | k1 | k2].</summary>
    static abstract int Chunks { get; }

    /// <summary>h_t from the pre-activations and h_{t−1}.</summary>
    static abstract Vector256<T> Forward<T>(Vector256<T> kh, Vector256<T> k1, Vector256<T> k2, Vector256<T> prev) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Given g = ∂L/∂h_t (the carried part included), the pre-activation gradients; returns the
    /// carry a_t ⊙ g that step t − 1 adds to its own ∂L/∂h.</summary>
    static abstract Vector256<T> Backward<T>(Vector256<T> kh, Vector256<T> k1, Vector256<T> k2, Vector256<T> prev, Vector256<T> g,
        out Vector256<T> dkh, out Vector256<T> dk1, out Vector256<T> dk2) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>minGRU: h = (1 − z) ⊙ h_prev + z ⊙ g(k_h), z = σ(k1).</summary>
internal readonly struct GruStep : IMinStep
{
    public static int Chunks => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Forward<T>(Vector256<T> kh, Vector256<T> k1, Vector256<T> k2, Vector256<T> prev) where T : unmanaged, IFloatingPointIeee754<T> =>
        prev + Simd<T>.Sigmoid(k1) * (Simd<T>.G(kh) - prev);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Backward<T>(Vector256<T> kh, Vector256<T> k1, Vector256<T> k2, Vector256<T> prev, Vector256<T> g,
        out Vector256<T> dkh, out Vector256<T> dk1, out Vector256<T> dk2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (z, tilde) = (Simd<T>.Sigmoid(k1), Simd<T>.G(kh, out var slope));
        var carry = (Vector256<T>.One - z) * g;                                      // a = 1 − z
        dkh = g * z * slope;
        dk1 = g * z * (tilde - prev) * (Vector256<T>.One - z);
        dk2 = default;
        return carry;
    }
}

/// <summary>minLSTM: h = f ⊙ h_prev + i ⊙ g(k_h), f = σ(k1), i = σ(k2).</summary>
internal readonly struct LstmStep : IMinStep
{
    public static int Chunks => 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Forward<T>(Vector256<T> kh, Vector256<T> k1, Vector256<T> k2, Vector256<T> prev) where T : unmanaged, IFloatingPointIeee754<T> =>
        Simd<T>.Sigmoid(k1) * prev + Simd<T>.Sigmoid(k2) * Simd<T>.G(kh);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Backward<T>(Vector256<T> kh, Vector256<T> k1, Vector256<T> k2, Vector256<T> prev, Vector256<T> g,
        out Vector256<T> dkh, out Vector256<T> dk1, out Vector256<T> dk2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (f, i, tilde) = (Simd<T>.Sigmoid(k1), Simd<T>.Sigmoid(k2), Simd<T>.G(kh, out var slope));
        var gi = g * i;
        dkh = gi * slope;
        dk1 = g * prev * f * (Vector256<T>.One - f);
        dk2 = gi * tilde * (Vector256<T>.One - i);
        return f * g;
    }
}

/// <summary>minLSTM with normalised gates: h = f' ⊙ h_prev + i' ⊙ g(k_h), f' = f/(f + i), i' = i/(f + i).</summary>
internal readonly struct LstmNormalizedStep : IMinStep
{
    public static int Chunks => 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Forward<T>(Vector256<T> kh, Vector256<T> k1, Vector256<T> k2, Vector256<T> prev) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (f, i) = (Simd<T>.Sigmoid(k1), Simd<T>.Sigmoid(k2));
        return (f * prev + i * Simd<T>.G(kh)) / (f + i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Backward<T>(Vector256<T> kh, Vector256<T> k1, Vector256<T> k2, Vector256<T> prev, Vector256<T> g,
        out Vector256<T> dkh, out Vector256<T> dk1, out Vector256<T> dk2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (f, i, tilde) = (Simd<T>.Sigmoid(k1), Simd<T>.Sigmoid(k2), Simd<T>.G(kh, out var slope));
        var reciprocal = Vector256<T>.One / (f + i);
        var (fn, inorm) = (f * reciprocal, i * reciprocal);
        var dGate = g * (prev - tilde) * fn * inorm;                                 // ∂L/∂f' · f' i'
        dkh = g * inorm * slope;
        dk1 = dGate * (Vector256<T>.One - f);                                        // ∂f'/∂k_f = (1 − f) f' i'
        dk2 = -dGate * (Vector256<T>.One - i);                                       // ∂f'/∂k_i = −(1 − i) f' i'
        return fn * g;
    }
}

/// <summary>The elementwise functions the steps share.</summary>
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

    /// <summary>g(x) = x + ½ for x ≥ 0, σ(x) below: the paper's positive candidate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> G(Vector256<T> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<T>.Zero), x + Vector256.Create(T.CreateChecked(0.5)), Sigmoid(x));

    /// <summary>g(x) and its slope g'(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> G(Vector256<T> x, out Vector256<T> slope)
    {
        var nonNegative = Vector256.GreaterThanOrEqual(x, Vector256<T>.Zero);
        var s = Sigmoid(x);
        slope = Vector256.ConditionalSelect(nonNegative, Vector256<T>.One, s * (Vector256<T>.One - s));
        return Vector256.ConditionalSelect(nonNegative, x + Vector256.Create(T.CreateChecked(0.5)), s);
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
