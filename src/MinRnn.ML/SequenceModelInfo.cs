using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace MinRnn.ML;

/// <summary>One recurrent state of a MinRnn model: the graph output that returns it after the last token
/// (e.g. <c>final_state_h_0</c>) and its shape without the batch dimension.</summary>
public sealed record SequenceModelState(string Name, string OutputName, long[] Shape);

/// <summary>What a MinRnn ONNX file says about itself (its <c>metadata_props</c>, written by <c>minrnn export</c>):
/// enough to apply it without the user passing any shape.</summary>
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

        return new SequenceModelInfo(Text("cell"), Int("layers"), vocab, Int("dim"), Text("form"), Text("task"), Int("task_seq_len"),
            Int("task_tokens"), Int("marker_token"), Int("noise_token"), states, Text("model_config"), Text("minrnn_version"));
    }

    internal static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
