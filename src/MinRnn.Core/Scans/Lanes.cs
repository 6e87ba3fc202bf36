using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MinRnn.Scans;

/// <summary>How many channels one SIMD register holds in the selective scan's kernels: 256-bit (AVX2) or 512-bit
/// (AVX-512) lanes. Auto takes 512 where the hardware runs it natively, else 256.</summary>
public enum SimdWidth { Auto, Bits256, Bits512 }

/// <summary>One SIMD register of T, whatever its width, so that a kernel is written once and compiled for each width
/// (struct type arguments are specialised and inlined by the JIT).</summary>
internal unsafe interface ILanes<TSelf, T> where TSelf : struct, ILanes<TSelf, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf Create(T value);
    static abstract TSelf Load(T* p);
    static abstract void Store(TSelf v, T* p);
    static abstract T Sum(TSelf v);
    /// <summary>e^x: the Cephes float32 kernel (FastSigmoid.Exp) or the runtime's float64 exp.</summary>
    static abstract TSelf Exp(TSelf x);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
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

    /// <summary>The width Auto resolves to on this machine.</summary>
    public static SimdWidth Resolve(SimdWidth width) =>
        width != SimdWidth.Auto ? width : Vector512.IsHardwareAccelerated ? SimdWidth.Bits512 : SimdWidth.Bits256;
}

internal unsafe readonly struct Lanes256<T>(Vector256<T> v) : ILanes<Lanes256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> v = v;
    public static int Count => Vector256<T>.Count;
    public static Lanes256<T> Zero => new(Vector256<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> Create(T value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> Load(T* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes256<T> x, T* p) => x.v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Lanes256<T> x) => Vector256.Sum(x.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> Exp(Lanes256<T> x) => new(Simd<T>.Exp(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> operator +(Lanes256<T> a, Lanes256<T> b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256<T> operator *(Lanes256<T> a, Lanes256<T> b) => new(a.v * b.v);
}

internal unsafe readonly struct Lanes512<T>(Vector512<T> v) : ILanes<Lanes512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> v = v;
    public static int Count => Vector512<T>.Count;
    public static Lanes512<T> Zero => new(Vector512<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> Create(T value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> Load(T* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes512<T> x, T* p) => x.v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Lanes512<T> x) => Vector512.Sum(x.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Exp(Lanes512<T> x) =>
        typeof(T) == typeof(float) ? new(FastSigmoid.Exp(x.v.As<T, float>()).As<float, T>()) : new(Vector512.Exp(x.v.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> operator +(Lanes512<T> a, Lanes512<T> b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512<T> operator *(Lanes512<T> a, Lanes512<T> b) => new(a.v * b.v);
}
