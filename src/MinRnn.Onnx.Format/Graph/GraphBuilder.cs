using Google.Protobuf;
using MinRnn.Onnx.Format;
using Onnx;

namespace MinRnn.Onnx.Graph;

/// <summary>A dimension of a declared tensor: a fixed size or a symbolic name ("batch", "time").</summary>
public readonly record struct Dim(long Value, string? Name)
{
    public static implicit operator Dim(long value) => new(value, null);
    public static implicit operator Dim(string name) => new(-1, name);
}

/// <summary>Builds one ONNX graph (or a Scan body) node by node. Value names are unique across the whole model
/// (subgraphs share their parent's counter), constants are deduplicated, weights are stored as raw little-endian
/// data. Every op method returns the name of its (first) output. No TorchSharp here: MinRnn.Onnx adds weights from
/// tensors (Graph/TensorWeights.cs).</summary>
public sealed class GraphBuilder
{
    private readonly Dictionary<string, string> constants;
    private readonly Counter counter;

    private sealed class Counter { public int Next; }

    public GraphBuilder(string name) : this(name, new Counter(), new Dictionary<string, string>()) { }

    private GraphBuilder(string name, Counter counter, Dictionary<string, string> constants)
    {
        Graph = new GraphProto { Name = name };
        this.counter = counter;
        this.constants = constants;
    }

    public GraphProto Graph { get; }

    /// <summary>The graph as a model of MinRnn's ONNX versions (<see cref="Signature.Opset"/>, <see cref="Signature.IrVersion"/>).</summary>
    public ModelProto Model(string producer)
    {
        var model = new ModelProto { IrVersion = Signature.IrVersion, ProducerName = producer, Graph = Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Signature.Opset });
        return model;
    }

    /// <summary>A builder for a subgraph (Scan body) whose names cannot collide with this graph's. Constants are
    /// its own (a body may read outer values by name, but keeping them local keeps the body self-contained).</summary>
    public GraphBuilder Subgraph(string name) => new(name, counter, new Dictionary<string, string>());

    public string Fresh(string hint) => $"{hint}_{counter.Next++}";

    // ---- declarations ------------------------------------------------------------------------------------------

    public void Input(string name, TensorProto.Types.DataType type, params Dim[] shape) => Graph.Input.Add(ValueInfo(name, type, shape));

    public void Output(string name, TensorProto.Types.DataType type, params Dim[] shape) => Graph.Output.Add(ValueInfo(name, type, shape));

    /// <summary>Output `name` as a copy of `value` (graph outputs need their own names).</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, params Dim[] shape)
    {
        Node("Identity", [value], [name]);
        Output(name, type, shape);
    }

    public static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, Dim[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var d in shape)
            tensor.Shape.Dim.Add(d.Name is null ? new TensorShapeProto.Types.Dimension { DimValue = d.Value }
                                                : new TensorShapeProto.Types.Dimension { DimParam = d.Name });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    // ---- initializers ------------------------------------------------------------------------------------------

    /// <summary>A float32 weight of the given shape (row-major data), stored under `name`.</summary>
    public string Weight(string name, float[] data, long[] shape)
    {
        var bytes = new byte[data.Length * sizeof(float)];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) ReverseEach(bytes, sizeof(float));
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(shape);
        Graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int64 constant (deduplicated); a 0-d scalar when `scalar`.</summary>
    public string Ints(long[] values, bool scalar = false) => Ints(values, scalar ? [] : [values.Length]);

    /// <summary>An int64 constant of the given shape (deduplicated).</summary>
    public string Ints(long[] values, long[] shape)
    {
        var key = $"i{string.Join("x", shape)}:{string.Join(",", values)}";
        if (constants.TryGetValue(key, out var existing)) return existing;
        var tensor = Int64Tensor(Fresh("const"), values, shape);
        Graph.Initializer.Add(tensor);
        return constants[key] = tensor.Name;
    }

    /// <summary>A named int64 tensor, e.g. for an initializer added to a graph this builder did not make.</summary>
    public static TensorProto Int64Tensor(string name, long[] values, long[] shape)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.AddRange(values);
        tensor.Dims.AddRange(shape);
        return tensor;
    }

    /// <summary>A float32 scalar constant (deduplicated).</summary>
    public string Float(float value)
    {
        var key = $"f:{BitConverter.SingleToInt32Bits(value)}";
        if (constants.TryGetValue(key, out var existing)) return existing;
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        Graph.Initializer.Add(tensor);
        return constants[key] = tensor.Name;
    }

    /// <summary>A float32 constant of the given shape (a vector by default).</summary>
    public string Floats(float[] values, long[]? shape = null)
    {
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.AddRange(values);
        tensor.Dims.AddRange(shape ?? [values.Length]);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    // ---- nodes -------------------------------------------------------------------------------------------------

    public NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = NewNode(op, inputs, outputs, Fresh(op), attributes);
        Graph.Node.Add(node);
        return node;
    }

    /// <summary>A node not yet in any graph, e.g. for a graph this builder did not make.</summary>
    public static NodeProto NewNode(string op, string[] inputs, string[] outputs, string name, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>A node with fresh output names; returns them.</summary>
    public string[] Op(string op, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var names = Enumerable.Range(0, outputs).Select(_ => Fresh(op.ToLowerInvariant())).ToArray();
        Node(op, inputs, names, attributes);
        return names;
    }

    public string Op(string op, params string[] inputs) => Op(op, inputs, 1)[0];

    public string Op(string op, string[] inputs, params AttributeProto[] attributes) => Op(op, inputs, 1, attributes)[0];

    public string Add(string a, string b) => Op("Add", a, b);
    public string Sub(string a, string b) => Op("Sub", a, b);
    public string Mul(string a, string b) => Op("Mul", a, b);
    public string Div(string a, string b) => Op("Div", a, b);
    public string MatMul(string a, string b) => Op("MatMul", a, b);
    public string Neg(string a) => Op("Neg", a);
    public string Sigmoid(string a) => Op("Sigmoid", a);
    public string Exp(string a) => Op("Exp", a);
    public string Transpose(string a, params long[] perm) => Op("Transpose", [a], Attr("perm", perm));
    public string Unsqueeze(string a, params long[] axes) => Op("Unsqueeze", a, Ints(axes));
    public string Squeeze(string a, params long[] axes) => Op("Squeeze", a, Ints(axes));
    public string Concat(long axis, params string[] parts) => Op("Concat", parts, Attr("axis", axis));

    /// <summary>Shape(x)[start:end] as an int64 vector.</summary>
    public string Shape(string x, long start, long? end = null) =>
        end is { } e ? Op("Shape", [x], Attr("start", start), Attr("end", e)) : Op("Shape", [x], Attr("start", start));

    // ---- attributes --------------------------------------------------------------------------------------------

    public static AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attr(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Attr(string name, long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Attr(string name, GraphProto graph) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };

    private static void ReverseEach(byte[] bytes, int width)
    {
        for (var i = 0; i < bytes.Length; i += width) Array.Reverse(bytes, i, width);
    }
}
