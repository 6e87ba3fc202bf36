using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MinRnn.Scans;

/// <summary>σ(x) = 1 / (1 + e^{−x}) over a float vector with a SIMD exp (Cephes expf: n = round(x·log₂e) by the
/// 1.5·2²³ rounding trick, r = x − n·ln2 in two parts, degree-6 polynomial, 2ⁿ through the exponent bits).
/// Error ≈ 1e-7 relative — float32 rounding — at a fifth of the cost of the library exp (which widens to
/// float64). Inputs are clamped to |x| ≤ 88.37, where e^x is still finite.</summary>
public static class FastSigmoid
{
    /// <summary>σ of one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Of(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary>σ on 512-bit registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Of(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    /// <summary>e^x, the same SIMD kernel (Mamba's exp(Δ·A) uses it directly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp(Vector256<float> x)
    {
        var magic = Vector256.Create(Magic);
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-Bound)), Vector256.Create(Bound));
        var shifted = x * Vector256.Create(Log2E) + magic;
        var n = shifted - magic;
        x = x - n * Vector256.Create(Ln2High) - n * Vector256.Create(Ln2Low);
        var y = Vector256.Create(P0) * x + Vector256.Create(P1);
        y = ((y * x + Vector256.Create(P2)) * x + Vector256.Create(P3)) * x + Vector256.Create(P4);
        y = y * x + Vector256.Create(P5);
        y = y * (x * x) + x + Vector256<float>.One;
        return y * Vector256.ShiftLeft(shifted.AsInt32() - magic.AsInt32() + Vector256.Create(127), 23).AsSingle();
    }

    /// <summary>The same kernel on 512-bit registers (the selective scan's Lanes512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        var magic = Vector512.Create(Magic);
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-Bound)), Vector512.Create(Bound));
        var shifted = x * Vector512.Create(Log2E) + magic;
        var n = shifted - magic;
        x = x - n * Vector512.Create(Ln2High) - n * Vector512.Create(Ln2Low);
        var y = Vector512.Create(P0) * x + Vector512.Create(P1);
        y = ((y * x + Vector512.Create(P2)) * x + Vector512.Create(P3)) * x + Vector512.Create(P4);
        y = y * x + Vector512.Create(P5);
        y = y * (x * x) + x + Vector512<float>.One;
        return y * Vector512.ShiftLeft(shifted.AsInt32() - magic.AsInt32() + Vector512.Create(127), 23).AsSingle();
    }

    private const float Magic = 12582912f;                      // 1.5·2²³: adding it rounds to an integer
    private const float Bound = 88.37626f;                      // e^x finite below it
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;    // ln 2 in two parts

    // Cephes expf's polynomial, highest power first
    private const float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f, P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;
}
