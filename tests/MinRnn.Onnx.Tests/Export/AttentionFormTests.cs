using MinRnn.Tests;
using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Verify;
using Xunit.Abstractions;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>The transformer's two attention forms (OnnxAttention): each against TorchSharp (whole sequences, the cache
/// carried across pieces, ragged rows row by row), against each other at a length where a wrong mask or scale would show,
/// and what the file holds: standard ops only, or one com.microsoft MultiHeadAttention per layer with its opset import.</summary>
public class AttentionFormTests(ITestOutputHelper output)
{
    public static TheoryData<OnnxAttention, bool> Cases() => new()
    {
        { OnnxAttention.Explicit, false }, { OnnxAttention.Explicit, true }, { OnnxAttention.Fused, false }, { OnnxAttention.Fused, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachFormMatchesTorchSharp(OnnxAttention attention, bool options)
    {
        using var model = TestModels.Build(TestModels.Config("transformer", options));
        using var tmp = new TempFolder();
        using var onnx = Export(model, attention, tmp["model.onnx"]);
        Assert.Equal(attention == OnnxAttention.Fused ? "fused-attention" : "attention", onnx.Metadata["form"]);
        Check(OnnxVerifier.Verify(model, onnx, [(3, 1), (2, 37)], (2, 37, 20)));
        foreach (var seed in new long[] { 0, 1 })
            Check(RaggedVerifier.Verify(model, onnx, batch: 5, time: 21, seed));
    }

    /// <summary>The fused graph against the explicit one (a second graph as the reference), with an uneven cache: a first
    /// ragged piece in which no row is full (so the cache, 37 long, is shorter than the 40 queries), then a second piece
    /// of 300 steps attending to it; logits and final states within 1e-5.</summary>
    [Fact]
    public void FusedEqualsExplicitOverARaggedCache()
    {
        using var model = TestModels.Build(TestModels.Config("transformer", options: true), seed: 4);
        using var tmp = new TempFolder();
        using var explicitForm = Export(model, OnnxAttention.Explicit, tmp["explicit.onnx"]);
        using var fused = Export(model, OnnxAttention.Fused, tmp["fused.onnx"]);
        var random = new Random(7);
        long[] Tokens(int count) => [.. Enumerable.Range(0, count).Select(_ => (long)random.Next(model.Config.Vocab))];
        var (first, second) = (Tokens(3 * 40), Tokens(3 * 300));
        var (a, b) = (explicitForm.Run(first, 3, 40, lengths: [37, 13, 1]), fused.Run(first, 3, 40, lengths: [37, 13, 1]));
        foreach (var (name, expected) in a.States)
            Assert.True(RaggedVerifier.ElementwiseRelErr(b.States[name], expected) <= 1e-5, $"{name} after the first piece differs");
        var carried = explicitForm.States.ToDictionary(s => s.Input, s => a.States[s.Output]);
        var (c, d) = (explicitForm.Run(second, 3, 300, carried), fused.Run(second, 3, 300, carried));
        Assert.True(RaggedVerifier.ElementwiseRelErr(d.Logits, c.Logits) <= 1e-5, $"logits differ by {RaggedVerifier.ElementwiseRelErr(d.Logits, c.Logits):E2}");
        Assert.Equal(c.Predictions, d.Predictions);
        foreach (var (name, expected) in c.States)
            Assert.True(RaggedVerifier.ElementwiseRelErr(d.States[name], expected) <= 1e-5, $"{name} differs");
    }

    [Theory]
    [InlineData(OnnxAttention.Explicit)]
    [InlineData(OnnxAttention.Fused)]
    public void TheFileHoldsItsForm(OnnxAttention attention)
    {
        using var model = TestModels.Build(TestModels.Config("transformer", options: true));
        var proto = OnnxExporter.Build(model, TestModels.Task(model.Config), new OnnxExportOptions(Attention: attention));
        var fused = proto.Graph.Node.Where(n => n.OpType == "MultiHeadAttention").ToList();
        var imports = proto.OpsetImport.Select(o => (o.Domain, o.Version)).ToList();
        if (attention == OnnxAttention.Explicit)
        {
            Assert.Empty(fused);
            Assert.All(proto.Graph.Node, n => Assert.Equal("", n.Domain));
            Assert.Equal([("", 17L)], imports);
            Assert.Equal(model.Config.Layers, proto.Graph.Node.Count(n => n.OpType == "Softmax"));
            return;
        }
        Assert.Equal(model.Config.Layers, fused.Count);
        Assert.All(fused, n => Assert.Equal(("com.microsoft", 3L, 1f), (n.Domain, n.Attribute.Single(a => a.Name == "num_heads").I, n.Attribute.Single(a => a.Name == "scale").F)));
        Assert.Equal([("", 17L), ("com.microsoft", 1L)], imports);
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "Softmax");
    }

    /// <summary>onnx.checker 1.12 (full check) accepts both forms: it checks the opset-17 ops and skips the contrib domain.</summary>
    [Fact]
    public void BothFormsPassTheChecker()
    {
        if (!OnnxChecker.Available()) return;                                    // python3-onnx absent: VerifiedExport says so
        using var model = TestModels.Build(TestModels.Config("transformer", options: true));
        using var tmp = new TempFolder();
        foreach (var attention in new[] { OnnxAttention.Explicit, OnnxAttention.Fused })
            OnnxExporter.Export(model, TestModels.Task(model.Config), new OnnxExportOptions(Attention: attention), tmp[$"{attention}.onnx"]);
        var (passed, checkerOutput) = OnnxChecker.Check(tmp["Explicit.onnx"], tmp["Fused.onnx"]);
        Assert.True(passed, checkerOutput);
    }

    private static OnnxModel Export(SequenceModel model, OnnxAttention attention, string path)
    {
        OnnxExporter.Export(model, TestModels.Task(model.Config), new OnnxExportOptions(Attention: attention), path);
        return OnnxModel.Load(path, threads: 1);
    }

    private void Check(VerifyReport report)
    {
        output.WriteLine(report.Table());
        Assert.True(report.Passed, report.Table());
    }
}
