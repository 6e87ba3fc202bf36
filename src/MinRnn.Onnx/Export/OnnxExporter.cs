using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using MinRnn.Models;
using MinRnn.Onnx.Format;
using MinRnn.Onnx.Graph;
using MinRnn.Tasks;
using MinRnn.Training;
using Onnx;
using static MinRnn.Onnx.Graph.GraphBuilder;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Export;

/// <summary>SequenceModel → ONNX (opset 17, IR 8). Inside the graph everything is time-major (T, B, d): the input is
/// transposed once, logits once. Input layer (InputExport: the embedding's Gather, or numeric steps standardised and
/// projected) → L × block → RMSNorm → head (MatMul) → logits, ArgMax → predictions; each block's recurrent states are
/// optional inputs (zeros by default) and outputs, so feeding a sequence in chunks with the states carried equals one
/// call. The optional lengths input makes a batch ragged: padded steps leave every state as it was (LengthsExport), so
/// the final states are each row's after its own last token. When the first block is token-local (tokens, no conv, a
/// small vocabulary) its cell reads per-token tables instead of norm and input projections (FirstBlockTables).</summary>
public static class OnnxExporter
{
    private const TensorProto.Types.DataType Float32 = TensorProto.Types.DataType.Float;
    private static readonly JsonSerializerOptions CompactJson = new(RunConfig.Json) { WriteIndented = false };

    /// <summary>Writes the model to `path` (via a temporary file, so a failure leaves no partial file).</summary>
    public static void Export(SequenceModel model, ISequenceTask task, OnnxExportOptions options, string path)
    {
        var bytes = Build(model, task, options).ToByteArray();
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Whether models of the cell kind `cell` can be exported (its exporter exists in this build).</summary>
    public static bool Exports(string cell) => CellExporters.Find(cell) is not null;

    /// <summary>The form a model of `cell` is exported in with `options` (the metadata's form: scan, chunked, native, attention).</summary>
    public static string Form(string cell, OnnxExportOptions options) => CellExporters.For(cell).Form(options);

    public static ModelProto Build(SequenceModel model, ISequenceTask task, OnnxExportOptions options)
    {
        options.Validate();
        using var scope = NewDisposeScope();
        var config = model.Config;
        var w = new Weights(model.state_dict());
        var g = new GraphBuilder($"minrnn_{config.Cell}");
        var input = InputExport.Declare(g, w, config);
        var batch = g.Shape(InputExport.Name(config), 0, 1);
        var lengths = LengthsExport.Declare(g, input.Input, batch);
        var states = OnnxSignature.States(config);
        var initial = states.ToDictionary(s => s, s => StateInput(g, s, batch));
        var final = new Dictionary<StateSpec, string>();

        var x = input.X;                                                                 // (T, B, d)
        var exporter = CellExporters.For(config.Cell);
        var tabulate = FirstBlockTables.Apply(config) && exporter.Tabulates(options);
        for (var l = 0; l < config.Layers; l++)
        {
            var p = $"blocks.{l}.";
            if (config.ConvKernel > 0)
            {
                var conv = states.Single(s => s.Layer == l && s.Kind == StateKind.Conv);
                var (c, next) = ConvExport.Export(g, w, p + "conv.conv.", config.ConvKernel, NormExport.RmsNorm(g, w, p + "conv_norm.", x), initial[conv], lengths.Lengths);
                (x, final[conv]) = (g.Add(x, c), next);
            }
            var first = l == 0 && tabulate;                                              // tables, not norm + input projections
            var xn = first ? null : NormExport.RmsNorm(g, w, p + "norm.", x);
            var cellStates = states.Where(s => s.Layer == l && s.Kind != StateKind.Conv).ToList();
            var (y, finals) = exporter.Export(new CellExportInput(g, w, p + "cell.", model, options, input.Tokens, xn, lengths), cellStates.Select(s => initial[s]).ToArray());
            foreach (var (s, f) in cellStates.Zip(finals)) final[s] = f;
            x = g.Add(x, y);
            if (config.FeedForwardMult > 0)
                x = g.Add(x, FeedForwardExport.Export(g, w, p + "ff.", NormExport.RmsNorm(g, w, p + "ff_norm.", x)));
        }
        var logitsTm = g.MatMul(NormExport.RmsNorm(g, w, "norm.", x), g.Weight("head.weight_t", w.Right("head.weight")));
        var logits = g.Transpose(logitsTm, 1, 0, 2);                                     // (B, T, vocab)
        g.Output(logits, OnnxSignature.Logits, Float32, "batch", "time", config.Vocab);
        g.Output(g.Op("ArgMax", [logits], Attr("axis", 2L), Attr("keepdims", 0L)), OnnxSignature.Predictions, TensorProto.Types.DataType.Int64, "batch", "time");
        foreach (var s in states)
            g.Output(final[s], s.Output, Float32, Declared(s, "next_past"));

        var m = new ModelProto
        {
            IrVersion = OnnxExportOptions.IrVersion,
            ProducerName = "minrnn",
            ProducerVersion = RunFiles.Version,
            Domain = "minrnn",
            ModelVersion = 1,
            DocString = $"MinRnn {config.Cell} × {config.Layers} on {task.Name}; states and lengths are optional inputs (zeros, full rows when not fed).",
            Graph = g.Graph,
        };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        if (g.Graph.Node.Any(n => n.Domain == TransformerExport.ContribDomain))
            m.OpsetImport.Add(new OperatorSetIdProto { Domain = TransformerExport.ContribDomain, Version = 1 });
        foreach (var (key, value) in Metadata(config, task, options))
            m.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return m;
    }

    /// <summary>The forms a model of `cell` can be exported in (the metadata's form), its default first: scan, chunked for
    /// min cells and mamba; native for GRU/LSTM; attention, fused-attention for the transformer.</summary>
    public static IReadOnlyList<string> Forms(string cell) => [.. EveryForm.Select(o => Form(cell, o)).Distinct()];

    /// <summary>Options that export `cell` in `form` (one of Forms(cell)), all else default.</summary>
    public static OnnxExportOptions OptionsFor(string cell, string form) =>
        EveryForm.FirstOrDefault(o => Form(cell, o) == form) ?? throw new ArgumentException($"form: '{form}' is not one of {string.Join("|", Forms(cell))} for {cell}");

    /// <summary>The defaults first, then one option set per form an exporter can choose.</summary>
    private static readonly OnnxExportOptions[] EveryForm =
        [new(), new(OnnxForm.Chunked), new(Attention: OnnxAttention.Explicit), new(Attention: OnnxAttention.Fused)];

    /// <summary>Whether a cell kind's export has the scan and chunked forms (the rest use ONNX's own RNN ops).</summary>
    public static bool HasForms(string cell) =>
        CellExporters.Find(cell) is { } e && e.Form(new(OnnxForm.Chunked)) != e.Form(new(OnnxForm.Scan));

    /// <summary>metadata_props: what a loader needs without side files.</summary>
    public static IEnumerable<(string Key, string Value)> Metadata(ModelConfig config, ISequenceTask task, OnnxExportOptions options)
    {
        yield return (MetadataKeys.MinRnnVersion, RunFiles.Version);
        yield return (MetadataKeys.Cell, config.Cell);
        yield return (MetadataKeys.Layers, config.Layers.ToString(CultureInfo.InvariantCulture));
        yield return (MetadataKeys.Vocab, config.Vocab.ToString(CultureInfo.InvariantCulture));
        yield return (MetadataKeys.Dim, config.Dim.ToString(CultureInfo.InvariantCulture));
        var form = Form(config.Cell, options);
        yield return (MetadataKeys.Form, form);
        if (form == "chunked") yield return (MetadataKeys.ChunkSize, options.ChunkSize.ToString(CultureInfo.InvariantCulture));
        foreach (var entry in task.Metadata()) yield return entry;
        yield return (MetadataKeys.States, string.Join(",", OnnxSignature.States(config).Select(s => s.Input)));
        yield return (MetadataKeys.ModelConfig, JsonSerializer.Serialize(config, CompactJson));
    }

    /// <summary>An optional state input: declared (batch, ..tail), with an initializer (1, ..tail) filled with the state's
    /// default (zeros but for the transformer's position count) as its default, broadcast to the batch of the input. A
    /// growing dimension is `past` in the declaration, 0 in the default (an empty cache) and 1 in the Expand, which keeps
    /// the length fed.</summary>
    private static string StateInput(GraphBuilder g, StateSpec s, string batch)
    {
        g.Input(s.Input, Float32, Declared(s, "past"));
        g.Weight(s.Input, full([1, .. s.Tail.Select(t => t == Signature.GrowingDim ? 0 : t)], s.Default, float32));
        return g.Op("Expand", s.Input, g.Concat(0, batch, g.Ints([.. s.Tail.Select(t => t == Signature.GrowingDim ? 1 : t)])));
    }

    /// <summary>A state's declared shape: (batch, ..tail), a growing dimension as the symbol `growing`.</summary>
    private static Dim[] Declared(StateSpec s, string growing) =>
        [(Dim)"batch", .. s.Tail.Select(t => t == Signature.GrowingDim ? (Dim)growing : (Dim)t)];
}
