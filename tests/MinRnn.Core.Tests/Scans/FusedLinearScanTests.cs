using MinRnn.Scans;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Scans;

/// <summary>FusedLinearScan against the sequential reference (LinearScan.Sequential, plain autograd) and finite differences.</summary>
public class FusedLinearScanTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes => new()
    {
        // B, T, H, with h0, non-contiguous inputs
        { 1, 1, 1, false, false },
        { 3, 1, 5, true, false },
        { 1, 17, 3, true, true },
        { 4, 33, 7, false, true },
        { 2, 9, 257, true, false },   // more channels than one work block
        { 5, 12, 300, true, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesSequentialOutputsAndGradients(int batch, int steps, int width, bool withH0, bool strided)
    {
        foreach (var (dtype, tol) in new[] { (float64, 1e-10), (float32, 1e-5) })
        {
            random.manual_seed(batch * 1000 + steps * 10 + width);
            Tensor Leaf(Tensor t) => t.detach().requires_grad_(true);
            // a ∈ (0, 1) as gates are; b and h0 of any sign
            var a = Leaf(strided ? rand(batch, width, steps, dtype: float64).transpose(1, 2).to(dtype) : rand(batch, steps, width, dtype: dtype));
            var b = Leaf(strided ? randn(steps, batch, width, dtype: float64).transpose(0, 1).to(dtype) : randn(batch, steps, width, dtype: dtype));
            var h0 = withH0 ? Leaf(randn(batch, width, dtype: dtype)) : null;
            if (strided) Assert.False(a.is_contiguous());
            var w = randn(batch, steps, width, dtype: dtype);

            var fused = FusedLinearScan.Scan(a, b, h0);
            (fused * w).sum().backward();
            var (ga, gb, gh0) = (a.grad!.clone(), b.grad!.clone(), h0?.grad!.clone());
            a.grad!.zero_(); b.grad!.zero_(); h0?.grad!.zero_();

            var reference = LinearScan.Sequential(a, b, h0);
            (reference * w).sum().backward();
            TestUtil.Close(fused, reference, tol, $"{dtype} h");
            TestUtil.Close(ga, a.grad!, tol, $"{dtype} ∂a");
            TestUtil.Close(gb, b.grad!, tol, $"{dtype} ∂b");
            if (h0 is not null) TestUtil.Close(gh0!, h0.grad!, tol, $"{dtype} ∂h0");
        }
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        random.manual_seed(11);
        var a = rand(2, 5, 3, dtype: float64).requires_grad_(true);
        var b = randn(2, 5, 3, dtype: float64).requires_grad_(true);
        var h0 = randn(2, 3, dtype: float64).requires_grad_(true);
        var w = randn(2, 5, 3, dtype: float64);
        double Loss() { using var _ = no_grad(); return (FusedLinearScan.Scan(a, b, h0) * w).sum().item<double>(); }
        (FusedLinearScan.Scan(a, b, h0) * w).sum().backward();
        const double eps = 1e-6;
        foreach (var p in new[] { a, b, h0 })
        {
            var flat = p.detach().view(-1);    // shares storage with p
            var grad = p.grad!.view(-1);
            for (var i = 0; i < flat.shape[0]; i++)
            {
                var x = flat[i].item<double>();
                flat[i] = x + eps; var up = Loss();
                flat[i] = x - eps; var down = Loss();
                flat[i] = x;
                Assert.Equal((up - down) / (2 * eps), grad[i].item<double>(), 7);
            }
        }
    }

    [Theory]
    [InlineData(-12.0)]   // gates a = σ(−12) ≈ 6e−6: state forgets at once
    [InlineData(12.0)]    // a ≈ 1 − 6e−6: state barely moves
    public void LongSequencesStayFinite(double gateLogit)
    {
        var (batch, steps, width) = (1, 65_536, 8);
        foreach (var dtype in new[] { float32, float64 })
        {
            var k = full(batch, steps, width, gateLogit, dtype: dtype) + 0.5 * randn(batch, steps, width, dtype: dtype);
            var hTilde = rand(batch, steps, width, dtype: dtype) + 0.1;
            var fused = FusedLinearScan.Scan(k.sigmoid(), (-k).sigmoid() * hTilde, null);
            var log = LinearScan.LogSpace(MinGates.LogSigmoid(k), MinGates.LogSigmoid(-k) + hTilde.log(), null);
            Assert.True(fused.isfinite().all().item<bool>(), $"fused {dtype}");
            Assert.True(log.isfinite().all().item<bool>(), $"log {dtype}");
            // both are convex mixes of h̃ ∈ [0.1, 1.1] starting from 0: bounded by the largest h̃. The log path in
            // float32 loses digits at this length (a* + logcumsumexp cancels at |a*| ≈ 8e5), hence its looser bound.
            Assert.True(fused.max().to_type(float64).item<double>() <= 1.1 + 1e-5, $"fused {dtype} bound");
            Assert.True(log.max().to_type(float64).item<double>() <= 1.1 * 1.2, $"log {dtype} bound: {log.max().to_type(float64).item<double>()}");
            if (dtype == float64) TestUtil.Close(log, fused, 1e-6, "log vs fused, float64");
        }
    }
}
