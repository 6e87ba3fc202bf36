using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Format;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Verify;
using Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>Numeric models (ModelConfig.Features): the graph reads `features` float (batch, time, F) in place of
/// `tokens`, standardises and projects them with the model's own buffers and weights, and ONNX Runtime equals TorchSharp
/// for every kind × form × {defaults, options} on random features, whole rows, carried pieces and ragged rows (the
/// checker over the same files: CheckerTests).</summary>
public class NumericExportTests(ITestOutputHelper output)
{
    public static TheoryData<string, OnnxForm, bool> Cases() => ExportEquivalenceTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void OnnxRuntimeMatchesTorchSharpOnFeatures(string cell, OnnxForm form, bool options)
    {
        using var model = TestModels.Build(TestModels.Numeric(cell, options));
        using var onnx = Export(model, form);
        Assert.Equal(new InputHeader(Signature.Features, InputForm.Features, 3), onnx.Input);
        AssertPasses(OnnxVerifier.Verify(model, onnx, [(3, 1), (2, 37)], carried: (2, 37, 20)));
        AssertPasses(RaggedVerifier.Verify(model, onnx, batch: 5, time: 21, seed: 1));
    }

    /// <summary>The input, its shape and type, the standardisation and projection on initializers named after the state
    /// dict, no embedding and no per-token table (the defaults would tabulate a token model's first block), F in
    /// model_config and in the header the format's reader gives.</summary>
    [Theory]
    [InlineData("mingru")]
    [InlineData("gru")]
    [InlineData("mamba")]
    [InlineData("transformer")]
    public void TheGraphReadsFeaturesThroughTheStandardisationAndTheProjection(string cell)
    {
        var config = TestModels.Numeric(cell, options: false);
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions());
        var input = proto.Graph.Input[0];
        Assert.Equal(["features", "lengths"], proto.Graph.Input.Take(2).Select(i => i.Name));
        Assert.DoesNotContain(proto.Graph.Input, i => i.Name == "tokens");
        Assert.Equal((int)TensorProto.Types.DataType.Float, input.Type.TensorType.ElemType);
        Assert.Equal("batch,time,3", string.Join(",", input.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString())));

        var initializers = proto.Graph.Initializer.ToDictionary(t => t.Name);
        Assert.Equal([3L], initializers["input_mean"].Dims);
        Assert.Equal([3L], initializers["input_std"].Dims);
        Assert.Equal([3L, config.Dim], initializers["input_projection.weight_t"].Dims);
        Assert.Equal([(long)config.Dim], initializers["input_projection.bias"].Dims);
        Assert.Equal([-2f, 5f, 40f], Floats(initializers["input_mean"]));
        Assert.Equal([0.5f, 3f, 20f], Floats(initializers["input_std"]));
        Assert.DoesNotContain(initializers.Keys, k => k.StartsWith("embedding") || k.Contains("by_token"));
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "OneHot");
        var sub = proto.Graph.Node.Single(n => n.OpType == "Sub" && n.Input.Contains("input_mean"));
        var div = proto.Graph.Node.Single(n => n.OpType == "Div" && n.Input.Contains("input_std"));
        Assert.Equal(sub.Output[0], div.Input[0]);                                       // (s − mean) / std, then W_in
        Assert.Contains(proto.Graph.Node, n => n.OpType == "MatMul" && n.Input[0] == div.Output[0] && n.Input[1] == "input_projection.weight_t");
        Assert.Contains("\"features\":3", proto.MetadataProps.Single(p => p.Key == "model_config").Value);

        using var tmp = new TempFolder();
        var path = tmp["numeric.onnx"];
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        var header = ModelHeader.Read(path);
        Assert.Equal((InputForm.Features, 3, "features", 3), (header.Input.Form, header.Input.Features, header.Input.Name, header.Input.Width));
    }

    [Fact]
    public void ATokenModelsHeaderSaysTokens()
    {
        var config = TestModels.Config("minlstm", options: false);
        using var model = TestModels.Build(config);
        using var tmp = new TempFolder();
        var path = tmp["tokens.onnx"];
        OnnxExporter.Export(model, TestModels.Task(config), new OnnxExportOptions(), path);
        Assert.Equal(new InputHeader(Signature.Tokens, InputForm.Tokens, null), ModelHeader.Read(path).Input);
    }

    /// <summary>The format's reader holds the graph to its model_config: an F that disagrees, features without a fixed F,
    /// and a features model that says it reads tokens are one-line errors naming the file.</summary>
    [Theory]
    [InlineData("other-f", "input 'features' has F = 3 but model_config has features 4")]
    [InlineData("symbolic-f", "input 'features' has no fixed F ≥ 1")]
    [InlineData("config-without-features", "input 'features' has F = 3 but model_config has features null")]
    [InlineData("tokens-with-features", "the graph reads 'tokens' but model_config has features 3")]
    public void AHeaderThatDisagreesWithItsGraphIsRefused(string fault, string message)
    {
        var config = TestModels.Numeric("mingru", options: false);
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions());
        var modelConfig = proto.MetadataProps.Single(p => p.Key == "model_config");
        var f = proto.Graph.Input[0].Type.TensorType.Shape.Dim[2];
        switch (fault)
        {
            case "other-f": modelConfig.Value = modelConfig.Value.Replace("\"features\":3", "\"features\":4"); break;
            case "symbolic-f": f.DimParam = "f"; break;
            case "config-without-features": modelConfig.Value = modelConfig.Value.Replace(",\"features\":3", ""); break;
            case "tokens-with-features": proto.Graph.Input[0].Name = "tokens"; break;
        }
        using var tmp = new TempFolder();
        var path = tmp["bad.onnx"];
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        var e = Assert.Throws<InvalidDataException>(() => ModelHeader.Read(path));
        Assert.Contains(message, e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>A numeric model refuses token ids and a features array of the wrong size; a token model refuses features.</summary>
    [Fact]
    public void TheOtherInputFormIsAOneLineError()
    {
        using var numeric = Export(TestModels.Build(TestModels.Numeric("gru", false)), OnnxForm.Scan);
        Assert.Contains("this model reads numeric steps of F = 3 features", Assert.Throws<ArgumentException>(() => numeric.Run(new long[4], 2, 2)).Message);
        Assert.Contains("features: 8 values for batch 2 × time 2 × F 3", Assert.Throws<ArgumentException>(() => numeric.Run(new float[8], 2, 2)).Message);
        Assert.Contains("this model reads numeric steps", Assert.Throws<ArgumentException>(() => numeric.Predict([new long[] { 1, 2 }], 4)).Message);
        using var tokens = Export(TestModels.Build(TestModels.Config("gru", false)), OnnxForm.Scan);
        Assert.Contains("features: this model reads token ids (batch, time)", Assert.Throws<ArgumentException>(() => tokens.Run(new float[12], 2, 2)).Message);
    }

    /// <summary>Rows of numeric steps of mixed lengths, batched and padded (PaddedBatches): ONNX Runtime's rows equal
    /// TorchSharp's batched rows and each row run alone, unpadded, at its own length.</summary>
    [Theory]
    [InlineData("minlstm")]
    [InlineData("lstm")]
    [InlineData("transformer")]
    public void PaddedRowsOfFeaturesEqualEachRowAlone(string cell)
    {
        using var model = TestModels.Build(TestModels.Numeric(cell, options: true));
        using var onnx = Export(model, OnnxForm.Scan);
        var random = new Random(4);
        int[] lengths = [5, 1, 12, 7, 12, 3];
        var rows = lengths.Select(t => Enumerable.Range(0, t * 3).Select(_ => (float)(random.NextDouble() * 40 - 10)).ToArray()).ToList();
        var ort = onnx.Predict(rows, batchSize: 4);
        var sharp = model.Predict(rows, batchSize: 4);
        using var _ = no_grad();
        for (var r = 0; r < rows.Count; r++)
        {
            using var alone = model.Logits(tensor(rows[r], [1, lengths[r], 3]));
            var expected = OnnxVerifier.Flat(alone);
            Assert.Equal(lengths[r], ort[r].Predictions.Length);
            Assert.True(RaggedVerifier.ElementwiseRelErr(sharp[r].Logits, expected) <= 1e-5, $"row {r}: TorchSharp batched vs alone");
            Assert.True(RaggedVerifier.ElementwiseRelErr(ort[r].Logits, expected) <= RaggedVerifier.Tolerance, $"row {r}: ONNX Runtime vs TorchSharp alone");
            Assert.Equal(sharp[r].Predictions, ort[r].Predictions);
        }
    }

    /// <summary>`minrnn export --verify`'s path: random features through both runtimes, ragged rows, then the checker; the
    /// file is published.</summary>
    [Fact]
    public void VerifiedExportFeedsFeatures()
    {
        var config = TestModels.Numeric("mamba", options: true);
        using var model = TestModels.Build(config);
        using var tmp = new TempFolder();
        var path = tmp["m.onnx"];
        var result = VerifiedExport.Run(model, TestModels.Task(config), new OnnxExportOptions(), path, threads: 1);
        output.WriteLine(result.Report.Table());
        Assert.True(result.Passed, result.Report.Table() + "\n" + result.Ragged?.Table() + "\n" + result.CheckerOutput);
        Assert.Contains(result.Report.Cases, c => c.Time == 4096);
        Assert.True(File.Exists(path));
    }

    private static OnnxModel Export(SequenceModel model, OnnxForm form)
    {
        using var tmp = new TempFolder();                                        // ORT has read the file once it is loaded
        var path = tmp["model.onnx"];
        OnnxExporter.Export(model, TestModels.Task(model.Config), new OnnxExportOptions(form, ChunkSize: 8), path);
        return OnnxModel.Load(path, threads: 1);
    }

    private static float[] Floats(TensorProto t) =>
        t.FloatData.Count > 0 ? [.. t.FloatData] : [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.ToByteArray())];

    private void AssertPasses(VerifyReport report)
    {
        output.WriteLine(report.Table());
        Assert.True(report.Passed, report.Table());
    }
}
