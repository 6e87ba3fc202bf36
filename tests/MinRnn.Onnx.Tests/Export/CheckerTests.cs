using MinRnn.Onnx.Export;
using MinRnn.Onnx.Verify;
using Xunit.Abstractions;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>Every exported variant passes onnx.checker.check_model(path, full_check=True) (Debian python3-onnx): every
/// kind × form × {defaults, options}, reading tokens and reading numeric steps (features).</summary>
public class CheckerTests(ITestOutputHelper output)
{
    [OnnxCheckerFact]
    public void EveryExportedFilePassesTheOnnxChecker()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var paths = new List<string>();
        foreach (var cell in CellExportersTests.Exported)
            foreach (var form in new[] { OnnxForm.Scan, OnnxForm.Chunked })
                foreach (var options in new[] { false, true })
                    foreach (var numeric in new[] { false, true })
                    {
                        var config = numeric ? TestModels.Numeric(cell, options) : TestModels.Config(cell, options);
                        using var model = TestModels.Build(config);
                        var path = Path.Combine(dir, $"{cell}-{form}-{(options ? "options" : "defaults")}-{(numeric ? "features" : "tokens")}.onnx");
                        OnnxExporter.Export(model, TestModels.Task(config), new OnnxExportOptions(form), path);
                        paths.Add(path);
                    }
        var (passed, text) = OnnxChecker.Check([.. paths]);
        output.WriteLine(text);
        Assert.True(passed, text);
        Assert.Equal(paths.Count, text.Split('\n').Count(l => l.StartsWith("ok ")));
    }

    [OnnxCheckerFact]
    public void TheCheckerRejectsABrokenGraph()
    {
        var config = TestModels.Config("mingru", false);
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions());
        proto.Graph.Node[3].Input[0] = "no_such_value";
        using var tmp = new TempFolder();
        var path = tmp["broken.onnx"];
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        Assert.False(OnnxChecker.Check(path).Passed);
    }
}
