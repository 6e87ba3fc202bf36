using MinRnn.Scans;
using static TorchSharp.torch;

namespace MinRnn.Tests.Scans;

/// <summary>The fused and log-space selective scans against the sequential reference (selective_scan_ref's loop), in
/// float64 to 1e-10 for outputs, final states and every input's gradient; and the fused gradient against finite
/// differences.</summary>
public class SelectiveScanTests
{
    /// <summary>70 channels: two blocks of the fused kernel (64 + 6), the second ending in a partial SIMD vector.</summary>
    private static Tensor[] Inputs(ScalarType dtype, long batch = 3, long steps = 13, long width = 70, long n = 5, long seed = 11)
    {
        random.manual_seed(seed);
        return
        [
            randn(batch, steps, width, dtype: dtype),                                   // x: any sign
            nn.functional.softplus(randn(batch, steps, width, dtype: dtype)),           // Δ > 0
            -(rand(width, n, dtype: dtype) * 3 + 0.1),                                  // A < 0
            randn(batch, steps, n, dtype: dtype),
            randn(batch, steps, n, dtype: dtype),
            randn(width, dtype: dtype),
            randn(batch, width, n, dtype: dtype),                                       // h0: any sign
        ];
    }

    private static (Tensor Y, Tensor State) Run(Func<SelectiveScanInputs, Tensor, (Tensor, Tensor)> scan, Tensor[] t) =>
        scan(new SelectiveScanInputs(t[0], t[1], t[2], t[3], t[4], t[5]), t[6]);

    /// <summary>The fused kernel on 256- and 512-bit registers (the latter emulated where the CPU lacks AVX-512).</summary>
    public static TheoryData<string> Modes => new() { "fused", "fused-256", "fused-512", "log" };

    private static Func<SelectiveScanInputs, Tensor, (Tensor, Tensor)> Scan(string mode) => mode switch
    {
        "fused" => (s, h0) => FusedSelectiveScan.Scan(s, h0),
        "fused-256" => (s, h0) => FusedSelectiveScan.Scan(s, h0, SimdWidth.Bits256),
        "fused-512" => (s, h0) => FusedSelectiveScan.Scan(s, h0, SimdWidth.Bits512),
        _ => (s, h0) => SelectiveScan.LogSpace(s, h0),
    };

    [Theory, MemberData(nameof(Modes))]
    public void MatchesTheSequentialReferenceWithAllGradients(string mode)
    {
        // float32 log space: exp of chunk-long cumulative sums of signed logs loses more bits than the fused loop
        // (measured with these inputs: 5.1e-5 on y, 7.1e-3 on A's gradient, a sum over every batch row and step), so its
        // float32 tolerance is 1e-3 (1e-2 for gradients); the float64 run holds both paths to 1e-10.
        foreach (var (dtype, tol) in new[] { (float64, 1e-10), (float32, mode == "log" ? 1e-3 : 2e-5) })
        {
            var inputs = Inputs(dtype, steps: mode == "log" ? SelectiveScan.LogChunk + 9 : 13);   // log: two chunks
            var a = inputs.Select(t => t.clone().requires_grad_(true)).ToArray();
            var b = inputs.Select(t => t.clone().requires_grad_(true)).ToArray();
            var (y, state) = Run(Scan(mode), a);
            var (yRef, stateRef) = Run(SelectiveScan.Sequential, b);
            TestUtil.Close(y, yRef, tol, $"{mode} {dtype} y");
            TestUtil.Close(state, stateRef, tol, $"{mode} {dtype} final state");
            random.manual_seed(5);
            var (wy, ws) = (randn(y.shape, dtype: dtype), randn(state.shape, dtype: dtype));
            ((y * wy).sum() + (state * ws).sum()).backward();
            ((yRef * wy).sum() + (stateRef * ws).sum()).backward();
            string[] names = ["x", "Δ", "A", "B", "C", "D", "h0"];
            for (var i = 0; i < names.Length; i++)
                TestUtil.Close(a[i].grad!, b[i].grad!, tol * 10, $"{mode} {dtype} grad {names[i]}");
        }
    }

    [Fact]
    public void FusedGradientsMatchFiniteDifferences()
    {
        var inputs = Inputs(float64, batch: 2, steps: 6, width: 9, n: 3);
        random.manual_seed(2);
        var wy = randn(2, 6, 9, dtype: float64);
        var ws = randn(2, 9, 3, dtype: float64);
        double Loss(Tensor[] t)
        {
            using var _ = no_grad();
            var (y, s) = Run((s, h0) => FusedSelectiveScan.Scan(s, h0), t);
            return ((y * wy).sum() + (s * ws).sum()).item<double>();
        }
        var leaves = inputs.Select(t => t.clone().requires_grad_(true)).ToArray();
        var (yA, sA) = Run((s, h0) => FusedSelectiveScan.Scan(s, h0), leaves);
        ((yA * wy).sum() + (sA * ws).sum()).backward();
        const double eps = 1e-6;
        for (var i = 0; i < inputs.Length; i++)
        {
            var flat = inputs[i].view(-1);
            foreach (var e in new long[] { 0, flat.shape[0] / 2, flat.shape[0] - 1 })
            {
                var original = flat[e].item<double>();
                flat[e] = original + eps;
                var plus = Loss(inputs);
                flat[e] = original - eps;
                var minus = Loss(inputs);
                flat[e] = original;
                var numeric = (plus - minus) / (2 * eps);
                var analytic = leaves[i].grad!.view(-1)[e].item<double>();
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"input {i} element {e}: {analytic} vs {numeric}");
            }
        }
    }
}
