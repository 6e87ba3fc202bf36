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

/// <summary>SequenceModel → ONNX (opset 17, IR 8). Inside the graph everything is time-major (T, B, d): tokens are
/// transposed once, logits once. Embedding (Gather) → L × block → RMSNorm → head (MatMul) → logits, ArgMax →
/// predictions; each block's recurrent states are optional inputs (zeros by default) and outputs, so feeding a
/// sequence in chunks with the states carried equals one call. When the first block is token-local (no conv, a small
/// vocabulary) its cell reads per-token tables instead of norm and input projections (FirstBlockTables).</summary>
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

    public static ModelProto Build(SequenceModel model, ISequenceTask task, OnnxExportOptions options)
    {
        options.Validate();
        using var scope = NewDisposeScope();
        var config = model.Config;
        var w = new Weights(model.state_dict());
        var g = new GraphBuilder($"minrnn_{config.Cell}");
        g.Input(OnnxSignature.Tokens, TensorProto.Types.DataType.Int64, "batch", "time");
        var batch = g.Shape(OnnxSignature.Tokens, 0, 1);
        var states = OnnxSignature.States(config);
        var initial = states.ToDictionary(s => s, s => StateInput(g, s, batch));
        var final = new Dictionary<StateSpec, string>();
        StateSpec Find(int l, StateKind k) => states.Single(s => s.Layer == l && s.Kind == k);

        var embedding = g.Weight("embedding.weight", w["embedding.weight"]);
        var tokens = g.Transpose(OnnxSignature.Tokens, 1, 0);                            // (T, B)
        var x = g.Op("Gather", [embedding, tokens], Attr("axis", 0L));                   // (T, B, d)
        var min = config.Cell.StartsWith("min", StringComparison.Ordinal);
        var tabulate = FirstBlockTables.Apply(config) && (!min || options.Form == OnnxForm.Scan);
        for (var l = 0; l < config.Layers; l++)
        {
            var p = $"blocks.{l}.";
            if (config.ConvKernel > 0)
            {
                var conv = Find(l, StateKind.Conv);
                var (c, next) = ConvExport.Export(g, w, p + "conv.", config.ConvKernel, NormExport.RmsNorm(g, w, p + "conv_norm.", x), initial[conv]);
                (x, final[conv]) = (g.Add(x, c), next);
            }
            var h = Find(l, StateKind.H);
            var first = l == 0 && tabulate;                                              // tables, not norm + input projections
            var xn = first ? null : NormExport.RmsNorm(g, w, p + "norm.", x);
            var byToken = first && !min ? FirstBlockTables.CellInputs(model) : null;
            string y;
            switch (config.Cell)
            {
                case "gru":
                    (y, final[h]) = GruExport.Export(g, w, p + "cell.", xn ?? OneHot(g, tokens, config.Vocab), initial[h], byToken);
                    break;
                case "lstm":
                    var c = Find(l, StateKind.C);
                    (y, final[h], final[c]) = LstmExport.Export(g, w, p + "cell.", xn ?? OneHot(g, tokens, config.Vocab), initial[h], initial[c], byToken);
                    break;
                default:
                    (y, final[h]) = xn is null ? MinCellExport.ExportTabulated(g, w, p + "cell.", FirstBlockTables.MinCellCoefficients(model), tokens, initial[h])
                        : MinCellExport.Export(g, w, p + "cell.", config, options, xn, initial[h]);
                    break;
            }
            x = g.Add(x, y);
            if (config.FeedForwardMult > 0)
                x = g.Add(x, FeedForwardExport.Export(g, w, p + "ff.", NormExport.RmsNorm(g, w, p + "ff_norm.", x)));
        }
        var logitsTm = g.MatMul(NormExport.RmsNorm(g, w, "norm.", x), g.Weight("head.weight_t", w.Right("head.weight")));
        var logits = g.Transpose(logitsTm, 1, 0, 2);                                     // (B, T, vocab)
        g.Output(logits, OnnxSignature.Logits, Float32, "batch", "time", config.Vocab);
        g.Output(g.Op("ArgMax", [logits], Attr("axis", 2L), Attr("keepdims", 0L)), OnnxSignature.Predictions, TensorProto.Types.DataType.Int64, "batch", "time");
        foreach (var s in states)
            g.Output(final[s], s.Output, Float32, [(Dim)"batch", .. s.Tail.Select(t => (Dim)t)]);

        var m = new ModelProto
        {
            IrVersion = OnnxExportOptions.IrVersion,
            ProducerName = "minrnn",
            ProducerVersion = RunFiles.Version,
            Domain = "minrnn",
            ModelVersion = 1,
            DocString = $"MinRnn {config.Cell} × {config.Layers} on {task.Name}; states are optional inputs (zeros when not fed).",
            Graph = g.Graph,
        };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (key, value) in Metadata(config, task, options))
            m.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return m;
    }

    /// <summary>metadata_props: what a loader needs without side files.</summary>
    public static IEnumerable<(string Key, string Value)> Metadata(ModelConfig config, ISequenceTask task, OnnxExportOptions options)
    {
        yield return (MetadataKeys.MinRnnVersion, RunFiles.Version);
        yield return (MetadataKeys.Cell, config.Cell);
        yield return (MetadataKeys.Layers, config.Layers.ToString(CultureInfo.InvariantCulture));
        yield return (MetadataKeys.Vocab, config.Vocab.ToString(CultureInfo.InvariantCulture));
        yield return (MetadataKeys.Dim, config.Dim.ToString(CultureInfo.InvariantCulture));
        var min = config.Cell.StartsWith("min", StringComparison.Ordinal);
        yield return (MetadataKeys.Form, min ? options.Form.ToString().ToLowerInvariant() : "native");
        if (min && options.Form == OnnxForm.Chunked) yield return (MetadataKeys.ChunkSize, options.ChunkSize.ToString(CultureInfo.InvariantCulture));
        foreach (var entry in task.Metadata()) yield return entry;
        yield return (MetadataKeys.States, string.Join(",", OnnxSignature.States(config).Select(s => s.Input)));
        yield return (MetadataKeys.ModelConfig, JsonSerializer.Serialize(config, CompactJson));
    }

    /// <summary>Tokens (T, B) as one-hot rows (T, B, V): x · Wᵀ then picks W's column of each token exactly.</summary>
    private static string OneHot(GraphBuilder g, string tokens, int vocab) =>
        g.Op("OneHot", [tokens, g.Ints([vocab], scalar: true), g.Floats([0f, 1f])], Attr("axis", -1L));

    /// <summary>An optional state input: declared (batch, ..tail), with a zero initializer (1, ..tail) as its default,
    /// broadcast to the batch of `tokens`.</summary>
    private static string StateInput(GraphBuilder g, StateSpec s, string batch)
    {
        g.Input(s.Input, Float32, [(Dim)"batch", .. s.Tail.Select(t => (Dim)t)]);
        g.Weight(s.Input, zeros([1, .. s.Tail]));
        return g.Op("Expand", s.Input, g.Concat(0, batch, g.Ints(s.Tail)));
    }
}
