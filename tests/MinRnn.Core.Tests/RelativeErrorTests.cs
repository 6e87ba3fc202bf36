using Xunit.Sdk;

namespace MinRnn.Tests;

/// <summary>The comparison every test uses: element-wise, so a small element's error is not hidden by a large element,
/// with elements under the floor held to tolerance·floor absolutely.</summary>
public class RelativeErrorTests
{
    private const double Floor = RelativeError.Float64Floor;

    [Fact]
    public void LargeErrorOnASmallElementAboveTheFloorIsCaught()
    {
        double[] expected = [100, 0.01], actual = [100, 0.011];
        Assert.Equal(0.1, RelativeError.Of(actual, expected, Floor), 12);        // |0.011 − 0.01| / 0.01
        Assert.True(0.001 / 100 <= 1e-4);                                         // what max|a − e| / max|e| would have said
        var e = Assert.Throws<FailException>(() => RelativeError.AssertWithin(actual, expected, 1e-4, Floor, "case"));
        Assert.StartsWith("case: element 1: 0.011 vs 0.01, relative error 1.000E-001", e.Message);
    }

    [Fact]
    public void ElementBelowTheFloorIsHeldAbsolutely()
    {
        double[] expected = [1, 1e-7], actual = [1, 2e-7];                          // 100 % off, but 1e-7 below the floor
        Assert.Equal(1e-7 / Floor, RelativeError.Of(actual, expected, Floor), 15);
        RelativeError.AssertWithin(actual, expected, 1e-3, Floor);
        Assert.Equal(0.0, RelativeError.Of([0.0, 5], [0.0, 5], Floor));             // exact zeros divide by the floor, not 0
    }

    [Fact]
    public void Float32UsesItsOwnFloor()
    {
        float[] expected = [10f, 2f, 0.5f], actual = [10f, 2.2f, 0.5f];
        Assert.Equal(0.1, RelativeError.Of(actual, expected), 6);                    // 2.2 vs 2: relative above the floor of 1
        Assert.Equal(0.01, RelativeError.Of([10f, 2f, 0.51f], expected), 6);         // 0.51 vs 0.5: absolute below it
    }

    [Fact]
    public void NaNOrDifferentLengthsNeverPass()
    {
        Assert.Equal(double.PositiveInfinity, RelativeError.Of([1, double.NaN], [1, 2], Floor));
        Assert.Equal(double.PositiveInfinity, RelativeError.Of([1, 2], [1, double.NaN], Floor));
        Assert.Equal(double.PositiveInfinity, RelativeError.Of([1, 2], [1, 2, 3], Floor));
    }
}
