using MinRnn.Layers;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Tests.Layers;

/// <summary>Our causal depthwise conv (FusedCausalConv) against torch's conv1d over [past; x] (groups = d, no padding):
/// the output and every gradient (x, past, weight, bias) in float64 to 1e-10 and float32 to 1e-5; chunked runs of the
/// CausalConv layer against one pass, outputs and gradients.</summary>
public class CausalConvTests
{
    /// <summary>261 channels: two blocks of the row kernel (256 + 5), the second ending in a partial SIMD vector.</summary>
    private static Tensor[] Inputs(ScalarType dtype, long steps, long kernel, long batch = 3, long width = 261)
    {
        random.manual_seed(17);
        return [randn(batch, steps, width, dtype: dtype), randn(batch, kernel - 1, width, dtype: dtype),
            randn(width, 1, kernel, dtype: dtype), randn(width, dtype: dtype)];
    }

    private static Tensor TorchConv(Tensor[] t) =>
        F.conv1d(cat([t[1], t[0]], 1).transpose(1, 2), t[2], t[3], groups: t[0].shape[2]).transpose(1, 2);

    [Theory]
    [InlineData(4, 13)]
    [InlineData(4, 2)]     // fewer steps than the kernel's past: gradients reach the past rows through every tap
    [InlineData(3, 1)]
    [InlineData(2, 7)]
    public void MatchesTorchConv1dWithAllGradients(int kernel, int steps)
    {
        foreach (var (dtype, tol) in new[] { (float64, 1e-10), (float32, 1e-5) })
        {
            var inputs = Inputs(dtype, steps, kernel);
            var a = inputs.Select(t => t.clone().requires_grad_(true)).ToArray();
            var b = inputs.Select(t => t.clone().requires_grad_(true)).ToArray();
            var y = FusedCausalConv.Apply(a[0], a[1], a[2], a[3]);
            var yRef = TorchConv(b);
            TestUtil.Close(y, yRef, tol, $"k={kernel} T={steps} {dtype} y");
            var w = randn(y.shape, dtype: dtype);
            (y * w).sum().backward();
            (yRef * w).sum().backward();
            string[] names = ["x", "past", "weight", "bias"];
            for (var i = 0; i < names.Length; i++)
                TestUtil.Close(a[i].grad!, b[i].grad!, tol, $"k={kernel} T={steps} {dtype} grad {names[i]}");
        }
    }

    [Fact]
    public void InferenceWithoutGradientsGivesTheSameOutput()
    {
        var inputs = Inputs(float64, 9, 4);
        using var _ = no_grad();
        TestUtil.Close(FusedCausalConv.Apply(inputs[0], inputs[1], inputs[2], inputs[3]), TorchConv(inputs), 1e-10, "y");
    }

    [Fact]
    public void ChunkedEqualsOnePassWithGradients()
    {
        using var conv = new CausalConv(70, 4);
        conv.to(float64);
        random.manual_seed(3);
        var x = randn(2, 11, 70, dtype: float64);
        var w = randn(2, 11, 70, dtype: float64);
        var (xFull, xChunked) = (x.clone().requires_grad_(true), x.clone().requires_grad_(true));
        var (full, fullState) = conv.call(xFull, null);
        (full * w).sum().backward();
        var fullGrads = conv.parameters().Select(p => p.grad!.clone()).ToArray();
        conv.zero_grad();
        Tensor? state = null;
        var pieces = new List<Tensor>();
        foreach (var (start, len) in new[] { (0, 1), (1, 2), (3, 6), (9, 2) })       // pieces shorter than the kernel too
        {
            var (y, next) = conv.call(xChunked.narrow(1, start, len), state);
            pieces.Add(y);
            state = next;
        }
        var chunked = cat(pieces, 1);
        (chunked * w).sum().backward();
        TestUtil.Close(chunked, full, 1e-12, "chunked y");
        TestUtil.Close(state!, fullState, 0, "chunked state");
        TestUtil.Close(xChunked.grad!, xFull.grad!, 1e-12, "chunked grad x");
        foreach (var (p, g) in conv.parameters().Zip(fullGrads))
            TestUtil.Close(p.grad!, g, 1e-12, "chunked grad of a parameter");
    }
}
