using Google.Protobuf;
using MinRnn.ML.Classes;
using MinRnn.Onnx.Format;
using MinRnn.Onnx.Graph;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;
using static Onnx.TensorProto.Types;

namespace MinRnn.ML.Onnx;

/// <summary>What the model part of the component computes, each under the name of an ONNX output of the rewritten graph.</summary>
internal enum ModelOutput { Predictions, Logits, LastLogits, State, Score, ClassSlot, Forecast }

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

    /// <summary>float values [1, N] (F per step, flattened) → int64 [3]: (N, F, p) with p the first position whose value is
    /// NaN or infinite (x − x is not 0 there), or N when every value is finite (the token check's sentinel ArgMax).</summary>
    public static byte[] FeatureCheck(string input, string output, int features)
    {
        var g = new GraphBuilder("minrnn_feature_check");
        g.Input(input, DataType.Float, "batch", "values");
        var finite = g.Op("Equal", g.Sub(input, input), g.Float(0f));
        var outside = g.Op("Cast", [g.Op("Not", finite)], Attr("to", (long)DataType.Int64));
        var sentinel = g.Concat(1, outside, g.Ints([1], [1, 1]));
        var position = g.Op("ArgMax", [sentinel], Attr("axis", 1L), Attr("keepdims", 0L));
        g.Node("Concat", [g.Shape(input, 1, 2), g.Ints([features]), position], [output], Attr("axis", 0L));
        g.Output(output, DataType.Int64, 3L);
        return g.Model("MinRnn.ML").ToByteArray();
    }

    /// <summary>The user's model with input <paramref name="tokens"/> instead of <c>tokens</c>, no state inputs (their default
    /// initializers become constants: the component starts every sequence from zeros, or an empty cache), and exactly the requested outputs.
    /// With <paramref name="ragged"/> and a file that has it, the lengths input stays (the batched runner pads rows of
    /// different lengths); otherwise its full-length default becomes a constant too (OnnxTransformer feeds tokens only).
    /// With an <paramref name="alphabet"/> the input holds characters (code points) that the graph turns into ids; with
    /// <paramref name="classes"/> the graph also answers the classify outputs (<see cref="ClassGraph"/>). With
    /// <paramref name="features"/> (a numeric model's F) the input holds each row's values flattened, float [batch, T·F],
    /// which the graph reshapes to the model's <c>features</c> [batch, T, F].</summary>
    public static byte[] Rewrite(ModelProto source, string tokens, IReadOnlyList<RequestedOutput> outputs, int vocab, bool ragged = false,
        ClassHead? classes = null, IReadOnlyList<int>? alphabet = null, int? features = null, ModelForecast? forecast = null)
    {
        var model = source.Clone();
        var g = model.Graph;
        var initializers = g.Initializer.Select(i => i.Name).ToHashSet();
        var inputName = features is null ? SequenceModelInfo.TokensInput : Signature.Features;
        var original = g.Input.Single(i => i.Name == inputName);
        var lengths = g.Input.SingleOrDefault(i => i.Name == Signature.Lengths);
        foreach (var input in g.Input.Where(i => i.Name != inputName))
            if (!initializers.Contains(input.Name))
                throw new InvalidDataException($"not a MinRnn model: input '{input.Name}' has no default value");
        g.Input.Clear();
        var renamed = features is null ? original.Clone() : ValueInfo(tokens, DataType.Float, ["batch", "values"]);
        renamed.Name = tokens;
        g.Input.Add(renamed);
        if (ragged && lengths is not null) g.Input.Add(lengths);
        if (features is { } f)
        {
            var window = forecast is { Change: true } ? "minrnn_ml_window" : Signature.Features;
            g.Initializer.Add(Int64Tensor("minrnn_ml_steps_shape", [0, -1, f], [3]));   // [batch, T·F] → [batch, T, F]
            g.Node.Insert(0, NewNode("Reshape", [tokens, "minrnn_ml_steps_shape"], [window], "minrnn_ml_features"));
            if (forecast is { Change: true }) RelativeWindow(g, window, f, lengths is not null);
        }
        else if (alphabet is null) g.Node.Insert(0, NewNode("Identity", [tokens], [SequenceModelInfo.TokensInput], "minrnn_ml_tokens"));
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
                case ModelOutput.Forecast:
                    var head = forecast ?? throw new InvalidOperationException("MinRnn: Forecast asked of a model without a forecast head");
                    value = Forecast(g, head, lengths is not null, perRow: !(ragged && lengths is not null));
                    info = ragged && lengths is not null ? ValueInfo(value, DataType.Float, ["batch", head.Horizon]) : ValueInfo(value, DataType.Float, [head.Horizon]);
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

    /// <summary>The forecast in the target's units, output · std + mean, from the last step's H outputs: [batch, H], or [H]
    /// for the one-row graph (<paramref name="perRow"/>), as the classify Score.</summary>
    private static string Forecast(GraphProto g, ModelForecast head, bool hasLengths, bool perRow)
    {
        const string forecast = "minrnn_ml_forecast";
        g.Initializer.Add(new TensorProto { Name = "minrnn_ml_target_std", DataType = (int)DataType.Float, FloatData = { head.Std } });
        g.Initializer.Add(new TensorProto { Name = "minrnn_ml_target_mean", DataType = (int)DataType.Float, FloatData = { head.Mean } });
        g.Node.Add(NewNode("Mul", [LastLogits(g, hasLengths), "minrnn_ml_target_std"], ["minrnn_ml_scaled"], "minrnn_ml_scaled"));
        var rows = perRow ? "minrnn_ml_forecast_rows" : forecast;
        g.Node.Add(NewNode("Add", ["minrnn_ml_scaled", "minrnn_ml_target_mean"], [head.Change ? "minrnn_ml_change" : rows], "minrnn_ml_shifted"));
        if (head.Change) g.Node.Add(NewNode("Add", ["minrnn_ml_change", Reference], [rows], "minrnn_ml_from_reference"));
        if (!perRow) return forecast;
        g.Initializer.Add(Int64Tensor("minrnn_ml_flat", [-1], [1]));
        g.Node.Add(NewNode("Reshape", ["minrnn_ml_forecast_rows", "minrnn_ml_flat"], [forecast], forecast));
        return forecast;
    }

    /// <summary>y_o of each row, [batch, 1], as <see cref="RelativeWindow"/> computes it.</summary>
    private const string Reference = "minrnn_ml_reference";

    /// <summary>A --predict change model reads its window less the last target value y_o (docs/FORECAST.md): window [B, T, F]
    /// → features = window − y_o · e₀ (e₀ = [1, 0, …, 0] over the F columns, the target first) and <see cref="Reference"/>,
    /// with o each row's last real step, min(lengths, T) − 1 as for the logits. Inserted after the window's Reshape (node 0).</summary>
    private static void RelativeWindow(GraphProto g, string window, int features, bool hasLengths)
    {
        g.Initializer.Add(Int64Tensor("minrnn_ml_target_column", [0], []));
        g.Initializer.Add(Int64Tensor("minrnn_ml_step_one", [1], [1]));
        g.Initializer.Add(Int64Tensor("minrnn_ml_step_axes", [1, 2], [2]));
        g.Initializer.Add(new TensorProto
        {
            Name = "minrnn_ml_target_unit", DataType = (int)DataType.Float, Dims = { features }, FloatData = { Enumerable.Range(0, features).Select(c => c == 0 ? 1f : 0f) },
        });
        NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes) =>
            NewNode(op, inputs, [output], output, attributes);
        NodeProto[] nodes =
        [
            Node("Gather", [window, "minrnn_ml_target_column"], "minrnn_ml_target_steps", Attr("axis", 2L)),                 // [B, T]
            Node("Shape", [window], "minrnn_ml_window_b", Attr("start", 0L), Attr("end", 1L)),
            Node("Shape", [window], "minrnn_ml_window_t", Attr("start", 1L), Attr("end", 2L)),
            Node("Expand", [hasLengths ? Signature.Lengths : "minrnn_ml_window_t", "minrnn_ml_window_b"], "minrnn_ml_window_lengths"),
            Node("Min", ["minrnn_ml_window_lengths", "minrnn_ml_window_t"], "minrnn_ml_window_clamped"),
            Node("Sub", ["minrnn_ml_window_clamped", "minrnn_ml_step_one"], "minrnn_ml_window_last"),
            Node("Unsqueeze", ["minrnn_ml_window_last", "minrnn_ml_step_one"], "minrnn_ml_window_index"),                      // [B, 1]
            Node("GatherND", ["minrnn_ml_target_steps", "minrnn_ml_window_index"], "minrnn_ml_reference_rows", Attr("batch_dims", 1L)),   // [B]
            Node("Unsqueeze", ["minrnn_ml_reference_rows", "minrnn_ml_step_one"], Reference),                                 // [B, 1]
            Node("Unsqueeze", ["minrnn_ml_reference_rows", "minrnn_ml_step_axes"], "minrnn_ml_reference_steps"),             // [B, 1, 1]
            Node("Mul", ["minrnn_ml_reference_steps", "minrnn_ml_target_unit"], "minrnn_ml_shift"),                           // [B, 1, F]
            NewNode("Sub", [window, "minrnn_ml_shift"], [Signature.Features], "minrnn_ml_relative_window"),
        ];
        for (var i = 0; i < nodes.Length; i++) g.Node.Insert(1 + i, nodes[i]);
    }

    /// <summary>Each row's logits at its last real step, [batch, vocab]: logits[b, min(lengths[b], T) − 1, :] (the lengths
    /// input, or its full-length default), or logits[:, −1, :] for a file without lengths.</summary>
    private static string LastLogits(GraphProto g, bool hasLengths)
    {
        const string last = "minrnn_ml_last_logits";
        if (g.Node.Any(n => n.Name == last)) return last;   // asked for both as LastLogits and by the forecast
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
