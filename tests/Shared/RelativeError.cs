namespace MinRnn.Tests;

/// <summary>
/// How the tests compare numbers: element-wise relative error with an absolute floor,
/// max_i |a_i − e_i| / max(|e_i|, floor). A large error on a small element is caught (a relative error taken against
/// the largest element hides it), and an element below the floor is held to tolerance·floor absolutely, since its
/// own relative error is rounding noise of the larger values it was computed from.
/// </summary>
public static class RelativeError
{
    // The floor is where rounding, not the element, sets the error: about 10 ulp of the O(1)–O(10) values an element is
    // computed from, divided by the tightest tolerance used with that precision. Measured over the suite with every
    // comparison logged, the largest floor any comparison needed was 0.16 for float32 (a float32 minGRU's output
    // at 1e-5 against the sequential loop; 0.006 at 1e-4) and 0 for float64.

    /// <summary>float32: ε = 1.2e-7, 10ε / 1e-5 ≈ 0.1; 1 leaves a margin for other SIMD widths. Elements below 1 in
    /// magnitude are held to the tolerance absolutely.</summary>
    public const double Float32Floor = 1;

    /// <summary>float64 (also the statistics against SciPy): ε = 2.2e-16, 10ε / 1e-12 ≈ 2e-3.</summary>
    public const double Float64Floor = 1e-3;

    /// <summary>The worst element: its error and index. Different lengths or a NaN anywhere give +∞.</summary>
    public static (double Error, int Index) Worst(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double floor)
    {
        if (actual.Length != expected.Length) return (double.PositiveInfinity, -1);
        var (worst, at) = (0.0, -1);
        for (var i = 0; i < actual.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), floor);
            if (double.IsNaN(error)) return (double.PositiveInfinity, i);
            if (error > worst) (worst, at) = (error, i);
        }
        return (worst, at);
    }

    public static double Of(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double floor) => Worst(actual, expected, floor).Error;

    public static double Of(float[] actual, float[] expected) =>
        Of(Array.ConvertAll(actual, x => (double)x), Array.ConvertAll(expected, x => (double)x), Float32Floor);

    /// <summary>Fails naming the worst element unless every element is within tolerance.</summary>
    public static void AssertWithin(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double tolerance, double floor, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        var (error, i) = Worst(actual, expected, floor);
        if (error > tolerance)
            Assert.Fail($"{what}: element {i}: {actual[i]:R} vs {expected[i]:R}, relative error {error:E3} > {tolerance:E1} (floor {floor:E0})");
    }

    public static void AssertWithin(float[] actual, float[] expected, double tolerance, string what = "") =>
        AssertWithin(Array.ConvertAll(actual, x => (double)x), Array.ConvertAll(expected, x => (double)x), tolerance, Float32Floor, what);
}
