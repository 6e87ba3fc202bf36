using Google.Protobuf;
using Onnx;
using static Onnx.TensorProto.Types;

namespace MinRnn.ML.Onnx;

/// <summary>What the model part of the component computes, each under the name of an ONNX output of the rewritten graph.</summary>
internal enum ModelOutput { Predictions, Logits, LastLogits, State }

/// <summary>One output the component asks of the model: the kind, the state (for <see cref="ModelOutput.State"/>) and
/// the graph output name it gets in the rewritten model.</summary>
internal sealed record RequestedOutput(ModelOutput Kind, SequenceModelState? State, string GraphName);

/// <summary>The two ONNX graphs the component runs through ML.NET's OnnxTransformer (which saves them inside the
/// ML.NET model, so a saved pipeline needs no side files):
/// <list type="bullet">
/// <item>the token check, generated from the model's vocabulary: where is the first id outside [0, vocab)?</item>
/// <item>the user's model, rewritten: the token input renamed, the state inputs fixed at their zero defaults, only the
/// requested outputs, plus the last step's logits.</item>
/// </list></summary>
internal static class ComponentGraphs
{
    private const int Opset = 17;
    private const long IrVersion = 8;

    /// <summary>int64 tokens [1, T] → int64 [4]: (T, p, id at p, vocab) with p the first position whose id is outside
    /// [0, vocab), or T when every id is inside. Total for T = 0 too (a sentinel 1 is appended to the outside flags before the ArgMax, which takes the first maximum).</summary>
    public static byte[] TokenCheck(string input, string output, int vocab)
    {
        var g = new GraphProto { Name = "minrnn_token_check" };
        g.Input.Add(ValueInfo(input, DataType.Int64, "batch", "time"));
        g.Output.Add(ValueInfo(output, DataType.Int64, 4L));
        Const(g, "zero", [0]);
        Const(g, "vocab", [vocab]);
        Const(g, "one_11", [1], [1, 1]);
        Const(g, "zero_11", [0], [1, 1]);
        Const(g, "flat", [-1]);
        Const(g, "vocab_1", [vocab], [1]);
        Node(g, "GreaterOrEqual", [input, "zero"], ["ge"]);
        Node(g, "Less", [input, "vocab"], ["lt"]);
        Node(g, "And", ["ge", "lt"], ["inside"]);
        Node(g, "Not", ["inside"], ["outside"]);
        Node(g, "Cast", ["outside"], ["outside_i64"], Attr("to", (long)DataType.Int64));
        Node(g, "Concat", ["outside_i64", "one_11"], ["outside_sentinel"], Attr("axis", 1));     // [1, T+1], last is 1
        Node(g, "ArgMax", ["outside_sentinel"], ["position"], Attr("axis", 1), Attr("keepdims", 0)); // first 1: a bad id, else T
        Node(g, "Concat", [input, "zero_11"], ["ids_sentinel"], Attr("axis", 1));
        Node(g, "Gather", ["ids_sentinel", "position"], ["id_2d"], Attr("axis", 1));           // [1, 1]
        Node(g, "Reshape", ["id_2d", "flat"], ["id"]);
        Node(g, "Shape", [input], ["length"], Attr("start", 1), Attr("end", 2));
        Node(g, "Concat", ["length", "position", "id", "vocab_1"], [output], Attr("axis", 0));
        return Model(g, []).ToByteArray();
    }

    /// <summary>The user's model with input <paramref name="tokens"/> instead of <c>tokens</c>, no state inputs (their zero
    /// initializers become constants: the component starts every sequence from zeros), and exactly the requested outputs.</summary>
    public static byte[] Rewrite(ModelProto source, string tokens, IReadOnlyList<RequestedOutput> outputs, int vocab)
    {
        var model = source.Clone();
        var g = model.Graph;
        var initializers = g.Initializer.Select(i => i.Name).ToHashSet();
        var original = g.Input.Single(i => i.Name == SequenceModelInfo.TokensInput);
        foreach (var input in g.Input.Where(i => i.Name != SequenceModelInfo.TokensInput))
            if (!initializers.Contains(input.Name))
                throw new InvalidDataException($"not a MinRnn model: input '{input.Name}' has no default value");
        g.Input.Clear();
        var renamed = original.Clone();
        renamed.Name = tokens;
        g.Input.Add(renamed);
        g.Node.Insert(0, NewNode("Identity", [tokens], [SequenceModelInfo.TokensInput], "minrnn_ml_tokens"));

        var declared = source.Graph.Output.ToDictionary(o => o.Name);
        g.Output.Clear();
        foreach (var o in outputs)
        {
            ValueInfoProto info;
            string value;
            switch (o.Kind)
            {
                case ModelOutput.Predictions: value = SequenceModelInfo.PredictionsOutput; info = declared[value].Clone(); break;
                case ModelOutput.Logits: value = SequenceModelInfo.LogitsOutput; info = declared[value].Clone(); break;
                case ModelOutput.State: value = o.State!.OutputName; info = declared[value].Clone(); break;
                default:
                    // logits[:, -1, :] — Gather with a scalar index drops the time axis: [batch, vocab].
                    Const(g, "minrnn_ml_last", [-1], []);
                    g.Node.Add(NewNode("Gather", [SequenceModelInfo.LogitsOutput, "minrnn_ml_last"], ["minrnn_ml_last_logits"], "minrnn_ml_last_logits", Attr("axis", 1)));
                    value = "minrnn_ml_last_logits";
                    info = ValueInfo(value, DataType.Float, "batch", (long)vocab);
                    break;
            }
            g.Node.Add(NewNode("Identity", [value], [o.GraphName], "minrnn_ml_out_" + g.Node.Count));
            info.Name = o.GraphName;
            g.Output.Add(info);
        }
        return model.ToByteArray();
    }

    private static ModelProto Model(GraphProto g, IEnumerable<StringStringEntryProto> metadata)
    {
        var m = new ModelProto { IrVersion = IrVersion, ProducerName = "MinRnn.ML", Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        m.MetadataProps.AddRange(metadata);
        return m;
    }

    private static void Const(GraphProto g, string name, long[] values, long[]? shape = null)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        t.Int64Data.AddRange(values);
        t.Dims.AddRange(shape ?? [values.Length]);
        g.Initializer.Add(t);
    }

    private static void Node(GraphProto g, string op, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        g.Node.Add(NewNode(op, inputs, outputs, $"{op}_{g.Node.Count}", attributes));

    private static NodeProto NewNode(string op, string[] inputs, string[] outputs, string name, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto Attr(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A tensor value declaration; a string dimension is symbolic, a long one fixed.</summary>
    private static ValueInfoProto ValueInfo(string name, DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = (long)d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
