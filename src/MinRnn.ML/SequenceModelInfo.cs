using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Onnx;

namespace MinRnn.ML;

/// <summary>One recurrent state of a MinRnn model: the graph output that returns it after the last token
/// (e.g. <c>final_state_h_0</c>) and its shape without the batch dimension.</summary>
public sealed record SequenceModelState(string Name, string OutputName, long[] Shape);

/// <summary>What a MinRnn ONNX file says about itself (its <c>metadata_props</c>, written by <c>minrnn export</c>):
/// enough to apply it without the user passing any shape.</summary>
/// <param name="Cell">The recurrent cell: mingru, minlstm, gru or lstm.</param>
/// <param name="Layers">The number of blocks.</param>
/// <param name="Vocab">The vocabulary size: token ids are in [0, Vocab).</param>
/// <param name="Dim">The model width d.</param>
/// <param name="Form">How the recurrence is exported: scan, chunked or native.</param>
/// <param name="Task">The task the model was trained on, as the file names it: a registry name (<c>parity</c>,
/// <c>associative-recall</c>, …) or <see cref="SelectiveCopyingTask"/>.</param>
/// <param name="TaskSeqLen">The task's length option T.</param>
/// <param name="TaskTokens">Selective copying only: K, the number of data tokens; −1 for every other task.</param>
/// <param name="MarkerToken">Selective copying only: the "copy now" marker's id; −1 for every other task (see
/// <see cref="SpecialTokens"/>).</param>
/// <param name="NoiseToken">Selective copying only: the noise token's id; −1 for every other task (see
/// <see cref="SpecialTokens"/>).</param>
/// <param name="States">The recurrent states, in graph order.</param>
/// <param name="ModelConfigJson">The model's configuration (JSON, as in a run's config.json).</param>
/// <param name="MinRnnVersion">The MinRnn version that exported the file.</param>
public sealed record SequenceModelInfo(
    string Cell, int Layers, int Vocab, int Dim, string Form, string Task, int TaskSeqLen, int TaskTokens,
    long MarkerToken, long NoiseToken, IReadOnlyList<SequenceModelState> States, string ModelConfigJson, string MinRnnVersion)
{
    /// <summary>The name of the model's token input (int64, [batch, time]).</summary>
    public const string TokensInput = "tokens";
    /// <summary>The name of the model's logits output (float, [batch, time, vocab]).</summary>
    public const string LogitsOutput = "logits";
    /// <summary>The name of the model's predictions output (int64, [batch, time], argmax of the logits).</summary>
    public const string PredictionsOutput = "predictions";
    /// <summary>The <see cref="Task"/> of a selective-copying model (its name in MinRnn files since version 1).</summary>
    public const string SelectiveCopyingTask = "selective_copying";

    /// <summary>The task's options, as <c>minrnn train --task-opt KEY=VALUE</c> takes them: option name (snake_case) →
    /// value as text (numbers in the invariant culture, <c>true</c>/<c>false</c>, strings unquoted); e.g. parity:
    /// <c>seq_len</c> → <c>"32"</c>, so <c>int.Parse(info.TaskOptions["seq_len"])</c>. Files exported before the
    /// metadata held options (selective copying only) give <c>seq_len</c>, <c>tokens</c> and <c>vocab</c>.</summary>
    public IReadOnlyDictionary<string, string> TaskOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>The task's named special tokens → id (e.g. parity: <c>query</c>; associative recall: <c>filler</c>;
    /// selective copying: <c>marker</c> and <c>noise</c>, also for files exported before this entry existed).</summary>
    public IReadOnlyDictionary<string, long> SpecialTokens { get; init; } = new Dictionary<string, long>();

    /// <summary>Reads the metadata of a MinRnn ONNX file; a one-line <see cref="InvalidDataException"/> for a file that is
    /// not ONNX, truncated, or not exported by MinRnn.</summary>
    public static SequenceModelInfo Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"MinRnn model file '{path}' does not exist", path);
        return FromModel(Parse(File.ReadAllBytes(path), path), path);
    }

    internal static ModelProto Parse(byte[] bytes, string path)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"{path}: not an ONNX model or truncated ({FirstLine(e.Message)})", e); }
        if (model.Graph is null || model.IrVersion == 0) throw new InvalidDataException($"{path}: not an ONNX model (no graph)");
        return model;
    }

    internal static SequenceModelInfo FromModel(ModelProto model, string path)
    {
        var meta = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        if (!meta.ContainsKey("model_config") || model.Graph.Input.All(i => i.Name != TokensInput))
            throw new InvalidDataException($"{path}: not a MinRnn model (no '{TokensInput}' input or no MinRnn metadata)");

        string Text(string key) => meta.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{path}: MinRnn metadata has no '{key}'");
        int Int(string key) => int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw new InvalidDataException($"{path}: MinRnn metadata '{key}' is not a non-negative integer ('{Text(key)}')");

        var vocab = Int("vocab");
        if (vocab < 1) throw new InvalidDataException($"{path}: MinRnn metadata 'vocab' is {vocab}");
        var outputs = model.Graph.Output.ToDictionary(o => o.Name);
        var states = new List<SequenceModelState>();
        foreach (var name in Text("states").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!outputs.TryGetValue("final_" + name, out var output))
                throw new InvalidDataException($"{path}: MinRnn metadata names state '{name}' but the graph has no output 'final_{name}'");
            var dims = output.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray();
            states.Add(new SequenceModelState(name, output.Name, dims));
        }
        foreach (var required in new[] { LogitsOutput, PredictionsOutput })
            if (!outputs.ContainsKey(required)) throw new InvalidDataException($"{path}: not a MinRnn model (no '{required}' output)");

        // Selective copying's own entries are required for it only; files made before task_options and special_tokens
        // existed are selective copying, whose options and specials those entries give.
        var task = Text("task");
        var copy = task == SelectiveCopyingTask;
        var (tokens, marker, noise) = copy ? (Int("task_tokens"), Int("marker_token"), Int("noise_token")) : (-1, -1, -1);
        var options = meta.ContainsKey("task_options") || !copy ? Options(Text("task_options"), path)
            : new Dictionary<string, string>
            {
                ["seq_len"] = Text("task_seq_len"), ["tokens"] = Text("task_tokens"), ["vocab"] = (noise + 1).ToString(CultureInfo.InvariantCulture),
            };
        var special = meta.ContainsKey("special_tokens") || !copy ? Specials(Text("special_tokens"), vocab, path)
            : new Dictionary<string, long> { ["marker"] = marker, ["noise"] = noise };
        return new SequenceModelInfo(Text("cell"), Int("layers"), vocab, Int("dim"), Text("form"), task, Int("task_seq_len"),
            tokens, marker, noise, states, Text("model_config"), Text("minrnn_version")) { TaskOptions = options, SpecialTokens = special };
    }

    /// <summary>task_options: a JSON object; each value as text (strings unquoted, anything else its JSON text).</summary>
    private static Dictionary<string, string> Options(string json, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: MinRnn metadata 'task_options' is not a JSON object ('{json}')", e);
        }
    }

    /// <summary>special_tokens: a JSON object of name → token id in [0, vocab).</summary>
    private static Dictionary<string, long> Specials(string json, int vocab, string path)
    {
        Dictionary<string, long> ids;
        try
        {
            using var doc = JsonDocument.Parse(json);
            ids = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: MinRnn metadata 'special_tokens' is not a JSON object of token ids ('{json}')", e);
        }
        foreach (var (name, id) in ids)
            if (id < 0 || id >= vocab) throw new InvalidDataException($"{path}: MinRnn metadata special token '{name}' is {id}, outside the vocabulary [0, {vocab})");
        return ids;
    }

    internal static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
