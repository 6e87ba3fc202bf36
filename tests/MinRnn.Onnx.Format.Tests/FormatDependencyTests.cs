namespace MinRnn.Onnx.Format.Tests;

/// <summary>MinRnn.Onnx.Format is what the ML.NET component (no TorchSharp) and the exporter share: it must reference
/// neither TorchSharp nor MinRnn.Core (whose cells are TorchSharp modules).</summary>
public class FormatDependencyTests
{
    [Fact]
    public void FormatReferencesNeitherTorchSharpNorCore()
    {
        var references = typeof(MinRnn.Onnx.Format.ModelHeader).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("OnnxSharp", references);                                          // the check can see references
        Assert.DoesNotContain(references, r => r.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, r => r.StartsWith("MinRnn.", StringComparison.Ordinal));
    }
}
