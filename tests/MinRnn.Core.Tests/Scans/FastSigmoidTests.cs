using System.Runtime.Intrinsics;
using MinRnn.Scans;

namespace MinRnn.Tests.Scans;

/// <summary>The fused scan's float32 σ against σ evaluated in float64.</summary>
public class FastSigmoidTests
{
    [Fact]
    public void MatchesFloat64SigmoidToFloat32Rounding()
    {
        var worst = 0.0;
        for (var x0 = -100.0; x0 <= 100.0; x0 += 8 * 0.001953125)
        {
            var x = Vector256.Create(Enumerable.Range(0, 8).Select(i => (float)(x0 + i * 0.001953125)).ToArray());
            var y = FastSigmoid.Of(x);
            for (var i = 0; i < 8; i++)
            {
                var exact = 1.0 / (1.0 + Math.Exp(-(double)x[i]));
                if (x[i] >= -80) worst = Math.Max(worst, Math.Abs(y[i] - exact) / exact);
                else Assert.True(y[i] >= 0 && y[i] < 1e-34, $"σ({x[i]}) = {y[i]}");       // clamped tail: tiny, not NaN
            }
        }
        Assert.True(worst < 5e-7, $"worst relative error {worst:E2}");
    }
}
