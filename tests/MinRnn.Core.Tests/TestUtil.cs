using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests;

public static class TestUtil
{
    /// <summary>max |a − b| / max(max |b|, 1e-30).</summary>
    public static double RelErr(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var diff = (a.to_type(float64) - b.to_type(float64)).abs().max().item<double>();
        return diff / Math.Max(b.to_type(float64).abs().max().item<double>(), 1e-30);
    }

    public static void Close(Tensor actual, Tensor expected, double tolerance, string what = "")
    {
        Assert.Equal(expected.shape, actual.shape);
        var err = RelErr(actual, expected);
        Assert.True(err <= tolerance, $"{what}: relative error {err:E3} > {tolerance:E1}");
    }

    /// <summary>Copies every parameter of `from` into `to` (same architecture).</summary>
    public static void CopyWeights(nn.Module from, nn.Module to)
    {
        using var _ = no_grad();
        var source = from.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in to.named_parameters())
            p.copy_(source[name]);
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "minrnn-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>A temporary folder removed (with everything in it) when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = TestUtil.TempDir();

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
