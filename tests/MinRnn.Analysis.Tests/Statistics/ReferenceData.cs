namespace MinRnn.Analysis.Tests.Statistics;

/// <summary>
/// Samples shared by the tests. Expected values in the tests come from Reference/scipy_reference.py
/// (SciPy 1.10.1, NumPy 1.24.2, statsmodels 0.13.5), copied in as literals; the tests never run Python.
/// </summary>
internal static class ReferenceData
{
    // Ten and twelve "final accuracies" with no value shared between the samples.
    public static readonly double[] A = [0.912, 0.897, 0.925, 0.884, 0.931, 0.902, 0.918, 0.889, 0.927, 0.909];
    public static readonly double[] B = [0.871, 0.894, 0.866, 0.904, 0.879, 0.858, 0.887, 0.893, 0.875, 0.869, 0.881, 0.9];

    // Integer scores with ties inside and across the samples.
    public static readonly double[] TiesA = [1, 2, 2, 3, 4, 4, 4, 5];
    public static readonly double[] TiesB = [2, 3, 3, 4, 5, 6, 6, 7, 7];

    // Dyadic values: every resample sum is exact, so bootstrap replicates match a replay bit for bit.
    public static readonly double[] Dyadic = [0.5, 1.25, 2.0, 0.75, 3.5, 1.0, 2.25, 0.125, 4.0, 1.5];

    // numpy.random.default_rng(7): normal(0.80, 0.05, 25) and normal(0.77, 0.06, 25), rounded to 4 decimals.
    public static readonly double[] LargeA =
    [
        0.8001, 0.8149, 0.7863, 0.7555, 0.7773, 0.7504, 0.803, 0.867, 0.7754, 0.769, 0.8245, 0.8178, 0.8053,
        0.7535, 0.7985, 0.8348, 0.7328, 0.7771, 0.7049, 0.7355, 0.7079, 0.7882, 0.7366, 0.8136, 0.8078,
    ];
    public static readonly double[] LargeB =
    [
        0.7588, 0.619, 0.7377, 0.7671, 0.7768, 0.6782, 0.7413, 0.7113, 0.7215, 0.8337, 0.7215, 0.768, 0.8231,
        0.735, 0.7633, 0.7766, 0.7738, 0.6965, 0.7746, 0.8515, 0.6772, 0.8216, 0.7772, 0.7315, 0.89,
    ];

    // The same generator, next: normal(0, 1, 20) and normal(0.6, 1, 20), rounded to 4 decimals; no ties.
    public static readonly double[] Exact20A =
    [
        0.7623, -1.1993, 0.0745, 0.5767, -0.1888, 0.6829, -0.0665, 0.6672, 1.4385, -0.6757, 0.2031, -0.4633,
        0.1273, -1.1872, -0.5793, -0.1962, 0.8988, 1.1452, -1.3235, -0.7946,
    ];
    public static readonly double[] Exact20B =
    [
        1.2469, -1.3924, 0.1368, 0.5027, 1.857, 1.2894, 0.2728, 0.2314, 0.3498, 2.1235, 0.172, 0.2963, 0.9526,
        0.4792, 0.4027, -0.5141, 0.5885, 0.1564, 1.7661, 1.2531,
    ];
}

internal static class Check
{
    /// <summary>RelativeError of one value, with the float64 floor.</summary>
    public static void Relative(double expected, double actual, double tolerance = 1e-9) =>
        RelativeError.AssertWithin([actual], [expected], tolerance, RelativeError.Float64Floor);

    public static void Relative(double[] expected, double[] actual, double tolerance = 1e-9) =>
        RelativeError.AssertWithin(actual, expected, tolerance, RelativeError.Float64Floor);
}
