using Google.Protobuf;
using MinRnn.Onnx.Format;
using MinRnn.Onnx.Graph;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;
using static Onnx.TensorProto.Types;

namespace MinRnn.ML.Onnx;

/// <summary>What the model part of the component computes, each under the name of an ONNX output of the rewritten graph.</summary>
internal enum ModelOutput { Predictions, Logits, LastLogits, State, Score, ClassSlot }

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
    /// <summary>int64 tokens [1, T] → int64 [4]: (T, p, id at p, vocab) with p the first position whose id is outside
    /// [0, vocab), or T when every id is inside. Total for T = 0 too (a sentinel 1 is appended to the outside flags before the ArgMax, which takes the first maximum).</summary>
    public static byte[] TokenCheck(string input, string output, int vocab)
    {
        var g = new GraphBuilder("minrnn_token_check");
        g.Input(input, DataType.Int64, "batch", "time");
        var inside = g.Op("And", g.Op("GreaterOrEqual", input, g.Ints([0], scalar: true)), g.Op("Less", input, g.Ints([vocab], scalar: true)));
        var outside = g.Op("Cast", [g.Op("Not", inside)], Attr("to", (long)DataType.Int64));
        var sentinel = g.Concat(1, outside, g.Ints([1], [1, 1]));                               // [1, T+1], last is 1
        var position = g.Op("ArgMax", [sentinel], Attr("axis", 1L), Attr("keepdims", 0L));   // first 1: a bad id, else T
        var id = g.Op("Gather", [g.Concat(1, input, g.Ints([0], [1, 1])), position], Attr("axis", 1L));   // [1, 1]
        g.Node("Concat", [g.Shape(input, 1, 2), position, g.Op("Reshape", id, g.Ints([-1])), g.Ints([vocab])], [output], Attr("axis", 0L));
        g.Output(output, DataType.Int64, 4L);
        return g.Model("MinRnn.ML").ToByteArray();
    }

    /// <summary>The user's model with input <paramref name="tokens"/> instead of <c>tokens</c>, no state inputs (their default
    /// initializers become constants: the component starts every sequence from zeros, or an empty cache), and exactly the requested outputs.
    /// With <paramref name="ragged"/> and a file that has it, the lengths input stays (the batched runner pads rows of
    /// different lengths); otherwise its full-length default becomes a constant too (OnnxTransformer feeds tokens only).
    /// With an <paramref name="alphabet"/> the input holds characters (code points) that the graph turns into ids; with
    /// <paramref name="classes"/> the graph also answers the classify outputs (<see cref="ClassGraph"/>).</summary>
    public static byte[] Rewrite(ModelProto source, string tokens, IReadOnlyList<RequestedOutput> outputs, int vocab, bool ragged = false,
        ClassHead? classes = null, IReadOnlyList<int>? alphabet = null)
    {
        var model = source.Clone();
        var g = model.Graph;
        var initializers = g.Initializer.Select(i => i.Name).ToHashSet();
        var original = g.Input.Single(i => i.Name == SequenceModelInfo.TokensInput);
        var lengths = g.Input.SingleOrDefault(i => i.Name == Signature.Lengths);
        foreach (var input in g.Input.Where(i => i.Name != SequenceModelInfo.TokensInput))
            if (!initializers.Contains(input.Name))
                throw new InvalidDataException($"not a MinRnn model: input '{input.Name}' has no default value");
        g.Input.Clear();
        var renamed = original.Clone();
        renamed.Name = tokens;
        g.Input.Add(renamed);
        if (ragged && lengths is not null) g.Input.Add(lengths);
        if (alphabet is null) g.Node.Insert(0, NewNode("Identity", [tokens], [SequenceModelInfo.TokensInput], "minrnn_ml_tokens"));
        else
        {
            var lookup = new GraphProto();
            TextLookup.Add(lookup, tokens, SequenceModelInfo.TokensInput, alphabet);
            g.Initializer.AddRange(lookup.Initializer);
            for (var i = 0; i < lookup.Node.Count; i++) g.Node.Insert(i, lookup.Node[i]);   // before the model's nodes, in order
        }
        var answer = classes is null ? default
            : ClassGraph.Add(g, classes.Classes, classes.Order, Clamped(g, lengths is not null), perRow: !(ragged && lengths is not null));

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
                case ModelOutput.Score:
                    value = answer.Score ?? throw new InvalidOperationException("MinRnn: Score asked of a model without classes");
                    info = ragged && lengths is not null ? ValueInfo(value, DataType.Float, ["batch", classes!.Order.Count]) : ValueInfo(value, DataType.Float, [classes!.Order.Count]);
                    break;
                case ModelOutput.ClassSlot:
                    value = answer.Index ?? throw new InvalidOperationException("MinRnn: PredictedLabel asked of a model without classes");
                    info = ValueInfo(value, DataType.Int64, ["batch"]);
                    break;
                default:
                    value = LastLogits(g, lengths is not null);
                    info = ValueInfo(value, DataType.Float, ["batch", vocab]);
                    break;
            }
            g.Node.Add(NewNode("Identity", [value], [o.GraphName], "minrnn_ml_out_" + g.Node.Count));
            info.Name = o.GraphName;
            g.Output.Add(info);
            if (o.Kind == ModelOutput.Score) ClassGraph.AddSlotNames(model, o.GraphName, classes!.Order.SlotNames);
        }
        return model.ToByteArray();
    }

    /// <summary>Each row's logits at its last real step, [batch, vocab]: logits[b, min(lengths[b], T) − 1, :] (the lengths
    /// input, or its full-length default), or logits[:, −1, :] for a file without lengths.</summary>
    private static string LastLogits(GraphProto g, bool hasLengths)
    {
        const string last = "minrnn_ml_last_logits";
        if (!hasLengths)
        {
            // Gather with a scalar index drops the time axis.
            g.Initializer.Add(Int64Tensor("minrnn_ml_last", [-1], []));
            g.Node.Add(NewNode("Gather", [SequenceModelInfo.LogitsOutput, "minrnn_ml_last"], [last], last, Attr("axis", 1L)));
            return last;
        }
        g.Initializer.Add(Int64Tensor("minrnn_ml_one", [1], [1]));
        g.Node.Add(NewNode("Sub", [Clamped(g, hasLengths: true), "minrnn_ml_one"], ["minrnn_ml_last_step"], "minrnn_ml_last_step"));
        g.Node.Add(NewNode("Unsqueeze", ["minrnn_ml_last_step", "minrnn_ml_one"], ["minrnn_ml_index"], "minrnn_ml_index"));   // [B, 1]
        g.Node.Add(NewNode("GatherND", [SequenceModelInfo.LogitsOutput, "minrnn_ml_index"], [last], last, Attr("batch_dims", 1L)));
        return last;
    }

    /// <summary>Each row's real length, min(lengths[b], T), int64 [B] (the lengths input, or its full-length default; T for a
    /// file without lengths); added once.</summary>
    private static string Clamped(GraphProto g, bool hasLengths)
    {
        const string clamped = "minrnn_ml_clamped";
        if (g.Node.Any(n => n.Name == clamped)) return clamped;
        NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes) =>
            NewNode(op, inputs, [output], output, attributes);
        g.Node.Add(Node("Shape", [SequenceModelInfo.LogitsOutput], "minrnn_ml_b", Attr("start", 0L), Attr("end", 1L)));   // [B]
        g.Node.Add(Node("Shape", [SequenceModelInfo.LogitsOutput], "minrnn_ml_t", Attr("start", 1L), Attr("end", 2L)));   // [T]
        g.Node.Add(Node("Expand", [hasLengths ? Signature.Lengths : "minrnn_ml_t", "minrnn_ml_b"], "minrnn_ml_lengths"));
        g.Node.Add(Node("Min", ["minrnn_ml_lengths", "minrnn_ml_t"], clamped));
        return clamped;
    }
}
