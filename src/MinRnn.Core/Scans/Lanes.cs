using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MinRnn.Scans;

/// <summary>How many channels one SIMD register holds in the fused scans' kernels (min cells and Mamba): 256-bit (AVX2) or
/// 512-bit (AVX-512) lanes. Auto takes MINRNN_SIMD=256|512 if set, else 512 where the hardware runs it natively.</summary>
public enum SimdWidth { Auto, Bits256, Bits512 }

/// <summary>The fused scans' register width in this process (MINRNN_SIMD, else the hardware's), for reports.</summary>
public static class SimdLanes
{
    public static int Bits => Lanes.Resolve(SimdWidth.Auto) == SimdWidth.Bits512 ? 512 : 256;
}

/// <summary>One SIMD register of T, whatever its width, so that a kernel is written once and compiled for each width
/// (struct type arguments are specialised and inlined by the JIT).</summary>
internal unsafe interface ILanes<TSelf, T> where TSelf : struct, ILanes<TSelf, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf One { get; }
    static abstract TSelf Create(T value);
    static abstract TSelf Load(T* p);
    static abstract void Store(TSelf v, T* p);
    static abstract T Sum(TSelf v);
    /// <summary>e^x: the Cephes float32 kernel (FastSigmoid.Exp) or the runtime's float64 exp.</summary>
    static abstract TSelf Exp(TSelf x);
    /// <summary>σ(x): FastSigmoid for float32, 1 / (1 + e^−x) with the runtime's exp for float64.</summary>
    static abstract TSelf Sigmoid(TSelf x);
    /// <summary>Per lane: x ≥ 0 ? a : b.</summary>
    static abstract TSelf WhereNonNegative(TSelf x, TSelf a, TSelf b);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
}

internal unsafe static class Lanes
{
    /// <summary>n ≤ Count elements at p, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Load<TV, T>(T* p, int n) where TV : struct, ILanes<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == TV.Count) return TV.Load(p);
        var buffer = stackalloc T[TV.Count];
        new Span<T>(buffer, TV.Count).Clear();
        new Span<T>(p, n).CopyTo(new Span<T>(buffer, TV.Count));
        return TV.Load(buffer);
    }

    /// <summary>The first n ≤ Count lanes of v to p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TV, T>(TV v, T* p, int n) where TV : struct, ILanes<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == TV.Count) { TV.Store(v, p); return; }
        var buffer = stackalloc T[TV.Count];
        TV.Store(v, buffer);
        new Span<T>(buffer, n).CopyTo(new Span<T>(p, n));
    }

    /// <summary>g(x) = x + ½ for x ≥ 0, σ(x) below: the paper's positive candidate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV G<TV, T>(TV x) where TV : struct, ILanes<TV, T> where T : unmanaged, IFloatingPointIeee754<T> =>
        TV.WhereNonNegative(x, x + TV.Create(T.CreateChecked(0.5)), TV.Sigmoid(x));

    /// <summary>g(x) and its slope g'(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV G<TV, T>(TV x, out TV slope) where TV : struct, ILanes<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = TV.Sigmoid(x);
        slope = TV.WhereNonNegative(x, TV.One, s * (TV.One - s));
        return TV.WhereNonNegative(x, x + TV.Create(T.CreateChecked(0.5)), s);
    }

    /// <summary>MINRNN_SIMD=256|512, read once: the width Auto takes (to compare the two, or to rule one out).</summary>
    private static readonly SimdWidth Chosen = Environment.GetEnvironmentVariable("MINRNN_SIMD") switch
    {
        "256" => SimdWidth.Bits256,
        "512" => SimdWidth.Bits512,
        _ => Vector512.IsHardwareAccelerated ? SimdWidth.Bits512 : SimdWidth.Bits256,
    };

    /// <summary>The width Auto resolves to: MINRNN_SIMD if set, else 512 bits where the CPU runs them natively.</summary>
    public static SimdWidth Resolve(SimdWidth width) => width != SimdWidth.Auto ? width : Chosen;
}

internal unsafe readonly struct Lanes256<T>(Vector256<T> v) : ILanes<Lanes256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> v = v;
    public static int Count => Vector256<T>.Count;
    public static Lanes256<T> Zero => new(Vector256<T>.Zero);
    public static Lanes256<T> One => new(Vector256<T>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> Create(T value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> Load(T* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes256<T> x, T* p) => x.v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Lanes256<T> x) => Vector256.Sum(x.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> Exp(Lanes256<T> x) => new(Simd<T>.Exp(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> Sigmoid(Lanes256<T> x) => new(Simd<T>.Sigmoid(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> operator +(Lanes256<T> a, Lanes256<T> b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> operator -(Lanes256<T> a, Lanes256<T> b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> operator -(Lanes256<T> a) => new(-a.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> operator *(Lanes256<T> a, Lanes256<T> b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> operator /(Lanes256<T> a, Lanes256<T> b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> WhereNonNegative(Lanes256<T> x, Lanes256<T> a, Lanes256<T> b) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x.v, Vector256<T>.Zero), a.v, b.v));
}

internal unsafe readonly struct Lanes512<T>(Vector512<T> v) : ILanes<Lanes512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> v = v;
    public static int Count => Vector512<T>.Count;
    public static Lanes512<T> Zero => new(Vector512<T>.Zero);
    public static Lanes512<T> One => new(Vector512<T>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> Create(T value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> Load(T* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes512<T> x, T* p) => x.v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Lanes512<T> x) => Vector512.Sum(x.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Exp(Lanes512<T> x) =>
        typeof(T) == typeof(float) ? new(FastSigmoid.Exp(x.v.As<T, float>()).As<float, T>()) : new(Vector512.Exp(x.v.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Sigmoid(Lanes512<T> x) =>
        typeof(T) == typeof(float) ? new(FastSigmoid.Of(x.v.As<T, float>()).As<float, T>()) : One / (One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> operator +(Lanes512<T> a, Lanes512<T> b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> operator -(Lanes512<T> a, Lanes512<T> b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> operator -(Lanes512<T> a) => new(-a.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> operator *(Lanes512<T> a, Lanes512<T> b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> operator /(Lanes512<T> a, Lanes512<T> b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> WhereNonNegative(Lanes512<T> x, Lanes512<T> a, Lanes512<T> b) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x.v, Vector512<T>.Zero), a.v, b.v));
}
