using MinRnn.Cells;
using Microsoft.ML.OnnxRuntime;
using MinRnn.Onnx.Export;
using Onnx;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>The graph's interface as a consumer sees it: names, element types, symbolic dimensions, optional states
/// with zero defaults, metadata, opset and IR version.</summary>
public class SignatureTests
{
    [Fact]
    public void InputsOutputsAndMetadata()
    {
        var config = TestModels.Config("lstm", options: true);                         // 2 layers, conv 3, inner 18
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions());
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(17, proto.OpsetImport.Single().Version);

        string[] states = ["conv_state_0", "state_h_0", "state_c_0", "conv_state_1", "state_h_1", "state_c_1"];
        Assert.Equal(["tokens", "lengths", .. states], proto.Graph.Input.Select(i => i.Name));
        Assert.Equal(["logits", "predictions", .. states.Select(s => "final_" + s)], proto.Graph.Output.Select(o => o.Name));
        Assert.Equal("batch,time", Shape(proto.Graph.Input[0]));
        Assert.Equal((int)TensorProto.Types.DataType.Int64, proto.Graph.Input[0].Type.TensorType.ElemType);
        Assert.Equal("batch", Shape(proto.Graph.Input[1]));                              // lengths: optional, int64
        Assert.Equal((int)TensorProto.Types.DataType.Int64, proto.Graph.Input[1].Type.TensorType.ElemType);
        Assert.Equal([long.MaxValue], proto.Graph.Initializer.Single(t => t.Name == "lengths").Int64Data);   // min(·, T) = T
        Assert.Equal("batch,2,12", Shape(proto.Graph.Input[2]));
        Assert.Equal("batch,18", Shape(proto.Graph.Input[3]));
        Assert.Equal("batch,time,7", Shape(proto.Graph.Output[0]));
        Assert.Equal((int)TensorProto.Types.DataType.Int64, proto.Graph.Output[1].Type.TensorType.ElemType);
        foreach (var s in states)                                                        // optional: a zero default
            Assert.All(proto.Graph.Initializer.Single(t => t.Name == s).RawData.ToByteArray(), b => Assert.Equal(0, b));

        var metadata = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("lstm", metadata["cell"]);
        Assert.Equal("2", metadata["layers"]);
        Assert.Equal("7", metadata["vocab"]);
        Assert.Equal("native", metadata["form"]);
        Assert.Equal("selective_copying", metadata["task"]);
        Assert.Equal("0", metadata["marker_token"]);
        Assert.Equal("6", metadata["noise_token"]);
        Assert.Equal(MinRnn.Training.RunFiles.Version, metadata["minrnn_version"]);
        Assert.Equal(string.Join(",", states), metadata["states"]);

        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(proto));
        Assert.Equal([-1, -1], session.InputMetadata["tokens"].Dimensions);
        Assert.Equal("lstm", session.ModelMetadata.CustomMetadataMap["cell"]);
    }

    [Fact]
    public void MinCellsUseOneScanPerLayerWithAnElementwiseBody()
    {
        var config = TestModels.Config("mingru", options: true);
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions(OnnxForm.Scan));
        var scans = proto.Graph.Node.Where(n => n.OpType == "Scan").ToList();
        Assert.Equal(config.Layers, scans.Count);
        foreach (var scan in scans)
            Assert.Equal(["Mul", "Add"], scan.Attribute.Single(a => a.Name == "body").G.Node.Select(n => n.OpType));
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType is "GRU" or "LSTM" or "Loop");

        using var gruModel = TestModels.Build(TestModels.Config("gru", false));
        var gru = OnnxExporter.Build(gruModel, TestModels.Task(config), new OnnxExportOptions());
        Assert.Single(gru.Graph.Node, n => n.OpType == "GRU");
        Assert.Equal(1, gru.Graph.Node.Single(n => n.OpType == "GRU").Attribute.Single(a => a.Name == "linear_before_reset").I);
    }

    /// <summary>Without a conv and with vocabulary ≤ d, the first block reads per-token tables (FirstBlockTables): no norm
    /// or input projection of block 0 in the graph. Not so for the chunked form of min cells, a conv or a wide vocabulary.</summary>
    [Theory]
    [InlineData("mingru", "defaults", OnnxForm.Scan, true)]
    [InlineData("minlstm", "defaults", OnnxForm.Scan, true)]
    [InlineData("gru", "defaults", OnnxForm.Scan, true)]
    [InlineData("lstm", "defaults", OnnxForm.Chunked, true)]                     // the form is for min cells only
    [InlineData("mingru", "defaults", OnnxForm.Chunked, false)]
    [InlineData("minlstm", "conv", OnnxForm.Scan, false)]
    [InlineData("gru", "conv", OnnxForm.Scan, false)]
    [InlineData("mingru", "wide-vocab", OnnxForm.Scan, false)]
    [InlineData("lstm", "wide-vocab", OnnxForm.Scan, false)]
    [InlineData("mamba", "defaults", OnnxForm.Scan, true)]                     // in_proj per token: the conv1d follows it
    [InlineData("mamba", "defaults", OnnxForm.Chunked, true)]
    [InlineData("mamba", "conv", OnnxForm.Scan, false)]
    [InlineData("mamba", "wide-vocab", OnnxForm.Chunked, false)]
    public void TheFirstBlockIsTabulatedWhenItIsTokenLocal(string cell, string kind, OnnxForm form, bool tabulated)
    {
        var config = kind switch { "conv" => TestModels.Config(cell, options: true), "wide-vocab" => TestModels.WideVocab(cell), _ => TestModels.Config(cell, false) };
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions(form));
        var initializers = proto.Graph.Initializer.Select(t => t.Name).ToHashSet();
        Assert.Equal(!tabulated, initializers.Contains("blocks.0.norm.gamma"));
        Assert.Contains("blocks.1.norm.gamma", config.Layers > 1 ? initializers : ["blocks.1.norm.gamma"]);
        var table = CellKinds.IsMin(cell) ? "a_by_token" : cell == "mamba" ? "in_proj.x_by_token" : null;   // else one-hot tokens
        Assert.Equal(tabulated && table is not null, initializers.Contains("blocks.0.cell." + table));
        Assert.Equal(tabulated && table is null, proto.Graph.Node.Any(n => n.OpType == "OneHot"));
    }

    /// <summary>Mamba's states per layer, after the block's conv state: h (batch, E, N) and its conv1d's last k − 1 = 3
    /// inputs (batch, 3, E), optional with zero defaults; one Scan per layer, in the scan form with the min cells'
    /// two-node body over h flattened to (batch, E·N), in the chunked form across chunks.</summary>
    [Theory]
    [InlineData(OnnxForm.Scan)]
    [InlineData(OnnxForm.Chunked)]
    public void MambaStatesAndScans(OnnxForm form)
    {
        var config = TestModels.Config("mamba", options: true);                       // 2 layers, conv 3, d 12, E 18, N 16
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions(form));
        string[] states = ["conv_state_0", "state_h_0", "state_conv_0", "conv_state_1", "state_h_1", "state_conv_1"];
        Assert.Equal(["tokens", "lengths", .. states], proto.Graph.Input.Select(i => i.Name));
        Assert.Equal(["logits", "predictions", .. states.Select(s => "final_" + s)], proto.Graph.Output.Select(o => o.Name));
        string[] shapes = ["batch,2,12", "batch,18,16", "batch,3,18"];
        Assert.Equal([.. shapes, .. shapes], proto.Graph.Input.Skip(2).Select(Shape));
        Assert.Equal([.. shapes, .. shapes], proto.Graph.Output.Skip(2).Select(Shape));
        foreach (var s in states)
            Assert.All(proto.Graph.Initializer.Single(t => t.Name == s).RawData.ToByteArray(), b => Assert.Equal(0, b));
        Assert.Equal(form.ToString().ToLowerInvariant(), proto.MetadataProps.Single(p => p.Key == "form").Value);

        var scans = proto.Graph.Node.Where(n => n.OpType == "Scan").ToList();
        Assert.Equal(config.Layers, scans.Count);
        foreach (var scan in scans)
        {
            var body = scan.Attribute.Single(a => a.Name == "body").G.Node.Select(n => n.OpType).ToList();
            if (form == OnnxForm.Scan) Assert.Equal(["Mul", "Add"], body);
            else Assert.Contains("CumSum", body);
        }
    }

    /// <summary>The transformer's states: the cache with a symbolic length (an empty default) and the position count
    /// (default +∞, i.e. the fed cache's length). ONNX Runtime takes a zero-length cache fed explicitly, and a cache fed
    /// without its count as all real: both equal the defaults / the full carry.</summary>
    [Fact]
    public void TransformerCacheHasAGrowingLengthAndAnEmptyDefault()
    {
        var config = TestModels.Config("transformer", options: false);                // inner 8: cache width 16
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions());
        Assert.Equal(["tokens", "lengths", "state_h_0", "state_pos_0"], proto.Graph.Input.Select(i => i.Name));
        Assert.Equal(["batch,past,16", "batch"], proto.Graph.Input.Skip(2).Select(Shape));
        Assert.Equal(["batch,next_past,16", "batch"], proto.Graph.Output.Skip(2).Select(Shape));
        Assert.Equal([1L, 0, 16], proto.Graph.Initializer.Single(t => t.Name == "state_h_0").Dims);
        Assert.Equal(float.PositiveInfinity, BitConverter.ToSingle(proto.Graph.Initializer.Single(t => t.Name == "state_pos_0").RawData.ToByteArray()));
        Assert.Equal("fused-attention", proto.MetadataProps.Single(p => p.Key == "form").Value);
        Assert.Equal([("com.microsoft", "MultiHeadAttention")], proto.Graph.Node.Where(n => n.Domain != "").Select(n => (n.Domain, n.OpType)));

        using var tmp = new TempFolder();
        var path = tmp["t.onnx"];
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        using var onnx = Runtime.OnnxModel.Load(path, threads: 1);
        long[] tokens = [1, 2, 3, 4, 5, 0], more = [3, 3, 1, 2];
        var fresh = onnx.Run(tokens, 2, 3);
        var empty = onnx.Run(tokens, 2, 3, new Dictionary<string, float[]> { ["state_h_0"] = [], ["state_pos_0"] = [0, 0] });
        Assert.Equal(fresh.Logits, empty.Logits);
        Assert.Equal(2 * 3 * 16, fresh.States["final_state_h_0"].Length);
        Assert.Equal([3f, 3f], fresh.States["final_state_pos_0"]);
        var carried = onnx.Run(more, 2, 2, new Dictionary<string, float[]> { ["state_h_0"] = fresh.States["final_state_h_0"], ["state_pos_0"] = [3, 3] });
        var cacheOnly = onnx.Run(more, 2, 2, new Dictionary<string, float[]> { ["state_h_0"] = fresh.States["final_state_h_0"] });
        Assert.Equal(carried.Logits, cacheOnly.Logits);
        Assert.Equal([5f, 5f], cacheOnly.States["final_state_pos_0"]);
        Assert.Contains("expected (2, n, 16)", Assert.Throws<ArgumentException>(() => onnx.Run(more, 2, 2, new Dictionary<string, float[]> { ["state_h_0"] = new float[17] })).Message);
    }

    private static string Shape(ValueInfoProto v) =>
        string.Join(",", v.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString()));
}
