using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Verify;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>VerifiedExport: the file appears only when ONNX Runtime agrees with TorchSharp, and then holds a model that
/// does.</summary>
public class VerifiedExportTests
{
    [Fact]
    public void PassingVerificationWritesTheVerifiedModel()
    {
        var config = TestModels.Config("mingru", options: false);
        using var model = TestModels.Build(config);
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var path = Path.Combine(dir, "m.onnx");
        var result = VerifiedExport.Run(model, TestModels.Task(config), new OnnxExportOptions(OnnxForm.Chunked, ChunkSize: 8), path);
        Assert.True(result.Passed, result.Report.Table());
        Assert.NotEqual(CheckerVerdict.Failed, result.Checker);
        Assert.Equal(["m.onnx"], Directory.GetFiles(dir).Select(Path.GetFileName));
        using var onnx = OnnxModel.Load(path);                      // the published file, checked again on other tokens
        Assert.True(OnnxVerifier.Verify(model, onnx, [(2, 19)], seed: 7).Passed);
        Assert.Equal("chunked", onnx.Metadata["form"]);
    }

    [Fact]
    public void FailingVerificationWritesNothing()
    {
        var config = TestModels.Config("gru", options: false);
        using var model = TestModels.Build(config);
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var path = Path.Combine(dir, "m.onnx");
        // a negative tolerance no relative error can meet: every case fails
        var result = VerifiedExport.Run(model, TestModels.Task(config), new OnnxExportOptions(), path, tolerance: -1);
        Assert.False(result.Passed);
        Assert.All(result.Report.Cases, c => Assert.False(c.Passed(result.Report.Tolerance)));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }
}
