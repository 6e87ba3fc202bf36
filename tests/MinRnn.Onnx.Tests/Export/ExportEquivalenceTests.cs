using MinRnn.Tests;
using MinRnn.Models;
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
        foreach (var cell in CellExportersTests.Exported)
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
        ExportAndVerify(model, new OnnxExportOptions(form, ChunkSize: 8), [(3, 1), (2, 37)], carried: (2, 37, 20));
    }

    /// <summary>The defaults tabulate the first block (vocabulary ≤ d, no conv); here every block's gates are graph ops,
    /// also pushed to saturation (weights × 20) for the scan form, where the plain ratio f/(f+i) would be 0/0. Not the
    /// transformer: it never tabulates (TransformerExport.Tabulates), so OnnxRuntimeMatchesTorchSharp already runs it so.</summary>
    [Theory]
    [InlineData("mingru", OnnxForm.Scan, 1.0)]
    [InlineData("mingru", OnnxForm.Scan, 20.0)]
    [InlineData("mingru", OnnxForm.Chunked, 1.0)]
    [InlineData("minlstm", OnnxForm.Scan, 1.0)]
    [InlineData("minlstm", OnnxForm.Scan, 20.0)]
    [InlineData("minlstm", OnnxForm.Chunked, 1.0)]
    [InlineData("gru", OnnxForm.Scan, 1.0)]
    [InlineData("lstm", OnnxForm.Scan, 1.0)]
    [InlineData("mamba", OnnxForm.Scan, 1.0)]
    [InlineData("mamba", OnnxForm.Chunked, 1.0)]
    public void UntabulatedFirstBlockMatches(string cell, OnnxForm form, double gateScale)
    {
        using var model = ScaleGates(TestModels.Build(TestModels.WideVocab(cell), seed: 3), gateScale);
        ExportAndVerify(model, new OnnxExportOptions(form, ChunkSize: 8), [(3, 1), (2, 1000)], carried: (2, 37, 20));
    }

    /// <summary>T = 4096 (batch 2) for every cell; the chunked form also with gates pushed to saturation (weights × 20),
    /// where a global-max log-space trick would underflow and a naive softplus overflow. Not the transformer: its T = 4096
    /// runs in ExportCliTests.TrainedTransformerExportsVerified (the verifier's whole T = 4096), and a second T² attention
    /// here would only add to the suite's time.</summary>
    [Theory]
    [InlineData("mingru", OnnxForm.Scan, 1.0, false)]
    [InlineData("mingru", OnnxForm.Chunked, 1.0, false)]
    [InlineData("mingru", OnnxForm.Chunked, 20.0, false)]
    [InlineData("minlstm", OnnxForm.Chunked, 20.0, true)]
    [InlineData("minlstm", OnnxForm.Chunked, 20.0, false)]                            // normalised gates
    [InlineData("minlstm", OnnxForm.Scan, 20.0, false)]
    [InlineData("gru", OnnxForm.Scan, 1.0, false)]
    [InlineData("lstm", OnnxForm.Scan, 1.0, false)]
    [InlineData("mamba", OnnxForm.Scan, 1.0, true)]
    [InlineData("mamba", OnnxForm.Chunked, 1.0, true)]
    public void LongSequencesMatch(string cell, OnnxForm form, double gateScale, bool options)
    {
        using var model = ScaleGates(TestModels.Build(TestModels.Config(cell, options), seed: 2), gateScale);
        ExportAndVerify(model, new OnnxExportOptions(form), [(2, 4096)], carried: (1, 4100, 4000));
    }

    /// <summary>Min cells' gate pre-activations × scale (20 pushes them to saturation).</summary>
    private static SequenceModel ScaleGates(SequenceModel model, double scale)
    {
        using (no_grad())
            foreach (var (_, p) in model.named_parameters().Where(p => p.name.Contains("to_hidden_and_gate")))
                p.mul_(scale);
        return model;
    }

    private void ExportAndVerify(SequenceModel model, OnnxExportOptions options, (int, int)[] shapes, (int, int, int) carried)
    {
        using var tmp = new TempFolder();
        var path = tmp["model.onnx"];
        OnnxExporter.Export(model, TestModels.Task(model.Config), options, path);
        using var onnx = OnnxModel.Load(path, threads: 1);
        var report = OnnxVerifier.Verify(model, onnx, shapes, carried);
        output.WriteLine(report.Table());
        Assert.True(report.Passed, report.Table());
    }
}
