using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Verify;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>ONNX Runtime against TorchSharp for every cell × form × {defaults, a non-default option set}: T = 1, a length
/// that is no multiple of the chunk size, and two pieces with the states carried.</summary>
public class ExportEquivalenceTests(ITestOutputHelper output)
{
    public static TheoryData<string, OnnxForm, bool> Cases()
    {
        var data = new TheoryData<string, OnnxForm, bool>();
        foreach (var cell in new[] { "mingru", "minlstm", "gru", "lstm" })
            foreach (var form in new[] { OnnxForm.Scan, OnnxForm.Chunked })
                foreach (var options in new[] { false, true })
                    data.Add(cell, form, options);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OnnxRuntimeMatchesTorchSharp(string cell, OnnxForm form, bool options)
    {
        var config = TestModels.Config(cell, options);
        using var model = TestModels.Build(config);
        var path = Path.Combine(TestModels.TempDir(), "model.onnx");
        OnnxExporter.Export(model, TestModels.Task(config), new OnnxExportOptions(form, ChunkSize: 8), path);
        using var onnx = OnnxModel.Load(path, threads: 1);
        var report = OnnxVerifier.Verify(model, onnx, [(3, 1), (2, 37)], carried: (2, 37, 20));
        output.WriteLine(report.Table());
        Assert.True(report.Passed, report.Table());
    }

    /// <summary>The defaults tabulate the first block (vocabulary ≤ d, no conv); here every block's gates are graph ops,
    /// also pushed to saturation (weights × 20) for the scan form, where the plain ratio f/(f+i) would be 0/0.</summary>
    [Theory]
    [InlineData("mingru", OnnxForm.Scan, 1.0)]
    [InlineData("mingru", OnnxForm.Scan, 20.0)]
    [InlineData("mingru", OnnxForm.Chunked, 1.0)]
    [InlineData("minlstm", OnnxForm.Scan, 1.0)]
    [InlineData("minlstm", OnnxForm.Scan, 20.0)]
    [InlineData("minlstm", OnnxForm.Chunked, 1.0)]
    [InlineData("gru", OnnxForm.Scan, 1.0)]
    [InlineData("lstm", OnnxForm.Scan, 1.0)]
    public void UntabulatedFirstBlockMatches(string cell, OnnxForm form, double gateScale)
    {
        var config = TestModels.WideVocab(cell);
        using var model = TestModels.Build(config, seed: 3);
        using (no_grad())
            foreach (var (name, p) in model.named_parameters().Where(p => p.name.Contains("to_hidden_and_gate")))
                p.mul_(gateScale);
        var path = Path.Combine(TestModels.TempDir(), "model.onnx");
        OnnxExporter.Export(model, TestModels.Task(config), new OnnxExportOptions(form, ChunkSize: 8), path);
        using var onnx = OnnxModel.Load(path, threads: 1);
        var report = OnnxVerifier.Verify(model, onnx, [(3, 1), (2, 1000)], carried: (2, 37, 20));
        output.WriteLine(report.Table());
        Assert.True(report.Passed, report.Table());
    }

    /// <summary>T = 4096 (batch 2) for every cell; the chunked form also with gates pushed to saturation (weights × 20),
    /// where a global-max log-space trick would underflow and a naive softplus overflow.</summary>
    [Theory]
    [InlineData("mingru", OnnxForm.Scan, 1.0, false)]
    [InlineData("mingru", OnnxForm.Chunked, 1.0, false)]
    [InlineData("mingru", OnnxForm.Chunked, 20.0, false)]
    [InlineData("minlstm", OnnxForm.Chunked, 20.0, true)]
    [InlineData("minlstm", OnnxForm.Chunked, 20.0, false)]                            // normalised gates
    [InlineData("minlstm", OnnxForm.Scan, 20.0, false)]
    [InlineData("gru", OnnxForm.Scan, 1.0, false)]
    [InlineData("lstm", OnnxForm.Scan, 1.0, false)]
    public void LongSequencesMatch(string cell, OnnxForm form, double gateScale, bool options)
    {
        var config = TestModels.Config(cell, options);
        using var model = TestModels.Build(config, seed: 2);
        using (no_grad())
            foreach (var (name, p) in model.named_parameters().Where(p => p.name.Contains("to_hidden_and_gate")))
                p.mul_(gateScale);
        var path = Path.Combine(TestModels.TempDir(), "model.onnx");
        OnnxExporter.Export(model, TestModels.Task(config), new OnnxExportOptions(form), path);
        using var onnx = OnnxModel.Load(path, threads: 1);
        var report = OnnxVerifier.Verify(model, onnx, [(2, 4096)], carried: (1, 4100, 4000));
        output.WriteLine(report.Table());
        Assert.True(report.Passed, report.Table());
    }
}
