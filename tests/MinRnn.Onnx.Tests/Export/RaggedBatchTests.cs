using MinRnn.Tests;
using MinRnn.Cells;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Format;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Verify;
using Xunit.Abstractions;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>The lengths input: a right-padded batch gives each row what TorchSharp gives that row alone (logits at its
/// real steps, final states after its last real token), in one call and in two ragged pieces with the states carried,
/// for every cell × form × {defaults, conv + two layers + feed-forward}; bad lengths are one-line errors.</summary>
public class RaggedBatchTests(ITestOutputHelper output)
{
    public static TheoryData<string, OnnxForm, bool> Cases() => ExportEquivalenceTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaggedRowsMatchTorchSharpRowByRow(string cell, OnnxForm form, bool options)
    {
        using var model = TestModels.Build(TestModels.Config(cell, options));
        foreach (var seed in new long[] { 0, 1 })
            AssertPasses(RaggedVerifier.Verify(model, Export(model, form), batch: 5, time: 21, seed));
    }

    /// <summary>Every block's gates as graph ops (no per-token tables), two layers. Not the transformer: it never tabulates
    /// (TransformerExport.Tabulates), so RaggedRowsMatchTorchSharpRowByRow already runs it so.</summary>
    [Theory]
    [InlineData("mingru", OnnxForm.Scan)]
    [InlineData("minlstm", OnnxForm.Chunked)]
    [InlineData("gru", OnnxForm.Scan)]
    [InlineData("lstm", OnnxForm.Scan)]
    [InlineData("mamba", OnnxForm.Scan)]
    [InlineData("mamba", OnnxForm.Chunked)]
    public void UntabulatedFirstBlockRaggedMatches(string cell, OnnxForm form)
    {
        using var model = TestModels.Build(TestModels.WideVocab(cell), seed: 3);
        AssertPasses(RaggedVerifier.Verify(model, Export(model, form), batch: 4, time: 30, seed: 5));
    }

    /// <summary>Lengths change the final states of the short rows only: a graph that ignored them would fail the row-by-row test.</summary>
    [Fact]
    public void LengthsChangeOnlyTheShortRows()
    {
        using var model = TestModels.Build(TestModels.Config("mingru", true));
        using var onnx = Export(model, OnnxForm.Scan);
        var full = onnx.Run(new long[2 * 6], 2, 6);
        var ragged = onnx.Run(new long[2 * 6], 2, 6, lengths: [6, 2]);
        var h = onnx.States.Single(s => s.Input == Signature.HiddenState(1)).Output;
        Assert.Equal(full.States[h][..18], ragged.States[h][..18]);                          // row 0 is full in both
        Assert.True(RaggedVerifier.ElementwiseRelErr(full.States[h][18..], ragged.States[h][18..]) > 1e-3);
    }

    [Theory]
    [InlineData(new long[] { 3, 5 }, "row 1 has length 5, outside [1, 4]")]
    [InlineData(new long[] { 0, 2 }, "row 0 has length 0, outside [1, 4]")]
    [InlineData(new long[] { -1, 2 }, "row 0 has length -1")]
    [InlineData(new long[] { 2 }, "1 values for a batch of 2 rows")]
    public void BadLengthsAreOneLineErrors(long[] lengths, string message)
    {
        using var model = TestModels.Build(TestModels.Config("gru", false));
        using var onnx = Export(model, OnnxForm.Scan);
        var e = Assert.Throws<ArgumentException>(() => onnx.Run(new long[8], 2, 4, lengths: lengths));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void LengthsOfTheWrongRankOrTypeAreOneLineErrors()
    {
        Assert.Contains("rank 2", Assert.Throws<ArgumentException>(() => RaggedLengths.Check(new long[2, 1], 2, 4)).Message);
        Assert.Contains("Int32 values, expected int64", Assert.Throws<ArgumentException>(() => RaggedLengths.Check(new int[] { 1, 2 }, 2, 4)).Message);
        RaggedLengths.Check(new long[] { 1, 4 }, 2, 4);
    }

    /// <summary>A file exported before the lengths input existed (the same graph without that input: its default becomes a
    /// constant) loads and runs full rows as before; asking it for ragged rows is a one-line error.</summary>
    [Fact]
    public void FilesWithoutTheLengthsInputStillLoad()
    {
        using var model = TestModels.Build(TestModels.Config("minlstm", false));
        var proto = OnnxExporter.Build(model, TestModels.Task(model.Config), new OnnxExportOptions());
        proto.Graph.Input.Remove(proto.Graph.Input.Single(i => i.Name == Signature.Lengths));
        using var tmp = new TempFolder();
        var path = tmp["old.onnx"];
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        using var old = OnnxModel.Load(path, threads: 1);
        using var current = Export(model, OnnxForm.Scan);
        Assert.False(old.AcceptsLengths);
        Assert.True(current.AcceptsLengths);
        var tokens = new long[] { 1, 2, 3, 4, 5, 0 };
        Assert.Equal(current.Run(tokens, 2, 3).Logits, old.Run(tokens, 2, 3).Logits);
        var e = Assert.Throws<ArgumentException>(() => old.Run(tokens, 2, 3, lengths: [3, 1]));
        Assert.Contains("exported before the lengths input existed", e.Message);
    }

    private OnnxModel Export(MinRnn.Models.SequenceModel model, OnnxForm form)
    {
        using var tmp = new TempFolder();                                        // ORT has read the file once it is loaded
        var path = tmp["model.onnx"];
        OnnxExporter.Export(model, TestModels.Task(model.Config), new OnnxExportOptions(form, ChunkSize: 8), path);
        return OnnxModel.Load(path, threads: 1);
    }

    private void AssertPasses(VerifyReport report)
    {
        output.WriteLine(report.Table());
        Assert.True(report.Passed, report.Table());
    }
}
