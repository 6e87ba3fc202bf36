using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;

namespace MinRnn.ML.Onnx;

/// <summary>Characters → token ids in the graph, as <c>minrnn</c> encodes a text row (docs/OWN_DATA.md): the model's
/// alphabet (its characters in code-point order) gives character i the id i; any other character is <c>unknown</c>,
/// the id after the alphabet. Made from the model's metadata, so a saved pipeline carries it.</summary>
internal static class TextLookup
{
    private const string P = "minrnn_ml_text_";

    /// <summary>Adds the nodes from <paramref name="codePoints"/> (int64 [B, T], Unicode scalar values) to
    /// <paramref name="ids"/> (int64 [B, T]).</summary>
    public static void Add(GraphProto g, string codePoints, string ids, IReadOnlyList<int> alphabet)
    {
        g.Initializer.Add(Int64Tensor(P + "alphabet", [.. alphabet.Select(c => (long)c)], [alphabet.Count]));
        g.Initializer.Add(Int64Tensor(P + "axis", [2], [1]));
        g.Initializer.Add(Int64Tensor(P + "one", [1], [1]));
        g.Initializer.Add(Int64Tensor(P + "ones", [1], [1, 1, 1]));
        void Node(string op, string[] inputs, string output, params AttributeProto[] attributes) =>
            g.Node.Add(NewNode(op, inputs, [output], output, attributes));

        Node("Unsqueeze", [codePoints, P + "axis"], P + "column");                                       // [B, T, 1]
        Node("Equal", [P + "column", P + "alphabet"], P + "equal");                                      // [B, T, A]
        Node("Cast", [P + "equal"], P + "hits", Attr("to", (long)TensorProto.Types.DataType.Int64));
        Node("Shape", [codePoints], P + "shape");
        Node("Concat", [P + "shape", P + "one"], P + "ones_shape", Attr("axis", 0L));
        Node("Expand", [P + "ones", P + "ones_shape"], P + "unknown");                                   // [B, T, 1]: a hit at A
        Node("Concat", [P + "hits", P + "unknown"], P + "table", Attr("axis", 2L));
        Node("ArgMax", [P + "table"], ids, Attr("axis", 2L), Attr("keepdims", 0L));                      // the first hit
    }
}
