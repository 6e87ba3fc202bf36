using MinRnn.Onnx.Verify;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>A fact that needs onnx.checker: reported as skipped, with the reason, when /usr/bin/python3 has no onnx
/// module (a fresh machine; CI installs python3-onnx), so it never passes without having checked anything.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (!OnnxChecker.Available())
            Skip = $"{OnnxChecker.Python} has no onnx module (apt-get install -y python3-onnx runs these)";
    }
}
