using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests;

public static class TestUtil
{
    /// <summary>RelativeError on tensors, with the floor of the expected tensor's precision.</summary>
    public static double RelErr(Tensor a, Tensor b) => RelativeError.Of(Flat(a), Flat(b), Floor(b));

    public static void Close(Tensor actual, Tensor expected, double tolerance, string what = "")
    {
        Assert.Equal(expected.shape, actual.shape);
        RelativeError.AssertWithin(Flat(actual), Flat(expected), tolerance, Floor(expected), what);
    }

    private static double Floor(Tensor expected) =>
        expected.dtype == float64 ? RelativeError.Float64Floor : RelativeError.Float32Floor;

    private static double[] Flat(Tensor t)
    {
        using var cpu = t.detach().cpu().to_type(float64).contiguous();
        return cpu.data<double>().ToArray();
    }

    /// <summary>Copies every parameter of `from` into `to` (same architecture).</summary>
    public static void CopyWeights(nn.Module from, nn.Module to)
    {
        using var _ = no_grad();
        var source = from.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in to.named_parameters())
            p.copy_(source[name]);
    }
}
