using Google.Protobuf;
using MinRnn.ML.Classes;
using MinRnn.Onnx.Format;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.ML.Onnx;

/// <summary>A classify model's classes and the order the component writes them in.</summary>
internal sealed record ClassHead(ModelClasses Classes, ClassOrder Order);

/// <summary>A classify model's answer, added to the rewritten graph as <c>minrnn predict</c> computes it
/// (docs/OWN_DATA.md): at each row's last step read, min(length, T) − 1, the class tokens' logits; their softmax is
/// the score, their first argmax the class. Both are written in the <see cref="ClassOrder"/>'s slots.</summary>
internal static class ClassGraph
{
    private const string P = "minrnn_ml_cls_";

    /// <summary>Adds the nodes; returns the score, float [B, C] (<paramref name="perRow"/>: [C], the graph ML.NET's
    /// OnnxTransformer runs one row at a time, so Score is a plain vector of C) and the slot index, int64 [B].</summary>
    public static (string Score, string Index) Add(GraphProto g, ModelClasses classes, ClassOrder order, string clampedLengths, bool perRow)
    {
        var inverse = new long[order.Count];
        for (var j = 0; j < order.Count; j++) inverse[order.ModelIndex[j]] = j;
        g.Initializer.Add(Int64Tensor(P + "seq_len", [classes.SeqLen], [1]));
        g.Initializer.Add(Int64Tensor(P + "one", [1], [1]));
        g.Initializer.Add(Int64Tensor(P + "first", [classes.FirstToken], [1]));
        g.Initializer.Add(Int64Tensor(P + "end", [classes.FirstToken + classes.Count], [1]));
        g.Initializer.Add(Int64Tensor(P + "order", [.. order.ModelIndex.Select(i => (long)i)], [order.Count]));
        g.Initializer.Add(Int64Tensor(P + "inverse", inverse, [order.Count]));
        g.Initializer.Add(Int64Tensor(P + "flat", [-1], [1]));
        void Node(string op, string[] inputs, string output, params AttributeProto[] attributes) =>
            g.Node.Add(NewNode(op, inputs, [P + output], P + output, attributes));

        Node("Min", [clampedLengths, P + "seq_len"], "read");                                          // [B]: min(length, T)
        Node("Sub", [P + "read", P + "one"], "step");
        Node("Unsqueeze", [P + "step", P + "one"], "index");                                            // [B, 1]
        Node("GatherND", [Signature.Logits, P + "index"], "last", Attr("batch_dims", 1L));              // [B, vocab]
        Node("Slice", [P + "last", P + "first", P + "end", P + "one"], "logits");                       // [B, C], model order
        Node("Softmax", [P + "logits"], "probabilities", Attr("axis", 1L));
        Node("Gather", [P + "probabilities", P + "order"], perRow ? "score_rows" : "score", Attr("axis", 1L));
        if (perRow) Node("Reshape", [P + "score_rows", P + "flat"], "score");
        Node("ArgMax", [P + "logits"], "best", Attr("axis", 1L), Attr("keepdims", 0L));                 // the first maximum
        Node("Gather", [P + "inverse", P + "best"], "slot");
        return (P + "score", P + "slot");
    }

    /// <summary>ML.NET's OnnxTransformer gives an output column the slot names of a graph node named
    /// <c>mlnet.COLUMN.SlotNames</c> with a <c>keys_strings</c> attribute (as ML.NET's own ONNX export writes them): an
    /// ai.onnx.ml LabelEncoder whose keys are the class names, fed a constant and read by nothing.</summary>
    public static void AddSlotNames(ModelProto model, string column, IReadOnlyList<string> names)
    {
        const string ml = "ai.onnx.ml";
        if (!model.OpsetImport.Any(o => o.Domain == ml)) model.OpsetImport.Add(new OperatorSetIdProto { Domain = ml, Version = 2 });
        var g = model.Graph;
        var input = new TensorProto { Name = P + "slot_names_in", DataType = (int)TensorProto.Types.DataType.String };
        input.Dims.Add(1);
        input.StringData.Add(ByteString.CopyFromUtf8(names[0]));
        g.Initializer.Add(input);
        var keys = new AttributeProto { Name = "keys_strings", Type = AttributeProto.Types.AttributeType.Strings };
        keys.Strings.AddRange(names.Select(ByteString.CopyFromUtf8));
        var node = NewNode("LabelEncoder", [input.Name], [P + "slot_names_unused"], $"mlnet.{column}.SlotNames", keys,
            Attr("values_int64s", [.. Enumerable.Range(0, names.Count).Select(i => (long)i)]), Attr("default_int64", -1L));
        node.Domain = ml;
        g.Node.Add(node);
    }
}
