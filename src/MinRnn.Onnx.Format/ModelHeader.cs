using Google.Protobuf;
using Onnx;
using K = MinRnn.Onnx.Format.MetadataKeys;

namespace MinRnn.Onnx.Format;

/// <summary>One recurrent state as the file declares it: its input name (as listed in the <c>states</c> entry), the
/// output that returns it after the last token and its shape without the batch dimension, with
/// <see cref="Signature.GrowingDim"/> for a symbolic dimension (the transformer's cache length). Which states a cell carries
/// (a cell state c or not) is what the file lists, not a rule about cell names.</summary>
public sealed record StateHeader(string Name, string OutputName, long[] Shape);

/// <summary>What a MinRnn ONNX file says about itself (its metadata_props, written by <c>minrnn export</c>), checked
/// against its graph: the one reader of the format, for MinRnn.Onnx and MinRnn.ML. Every failure is a one-line
/// InvalidDataException naming the file: not ONNX, truncated, not exported by MinRnn, or a malformed entry.</summary>
/// <param name="Model">The parsed protobuf.</param>
/// <param name="Cell">The recurrent cell's name as the file has it.</param>
/// <param name="Form">How the recurrence is exported: scan, chunked or native.</param>
/// <param name="ChunkSize">Steps per chunk of the chunked form; null for the other forms.</param>
/// <param name="States">The recurrent states, in graph order.</param>
/// <param name="ModelConfigJson">The model's configuration (JSON, as in a run's config.json).</param>
/// <param name="Input">What the model reads: token ids, or numeric steps of F features (name, form, F).</param>
public sealed record ModelHeader(
    ModelProto Model, IReadOnlyDictionary<string, string> Metadata, string Cell, int Layers, int Vocab, int Dim, string Form,
    int? ChunkSize, TaskHeader Task, IReadOnlyList<StateHeader> States, string ModelConfigJson, string MinRnnVersion, InputHeader Input)
{
    /// <summary>Whether the graph takes <see cref="Signature.Lengths"/> (files exported before it existed do not).</summary>
    public bool AcceptsLengths => Model.Graph.Input.Any(i => i.Name == Signature.Lengths);

    public static ModelHeader Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"MinRnn model file '{path}' does not exist", path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses the protobuf and the MinRnn metadata, so a truncated or foreign file fails before ONNX Runtime sees it.</summary>
    public static ModelHeader Parse(byte[] bytes, string path)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not an ONNX model or truncated ({ErrorText.FirstLine(e.Message)})", e);
        }
        if (model.Graph is null || model.IrVersion == 0) throw new InvalidDataException($"{path}: not an ONNX model (no graph)");
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        var meta = new MetadataEntries(metadata, path);
        var input = meta.Has(K.ModelConfig) ? InputHeader.Read(model.Graph, meta.Text(K.ModelConfig), meta) : null;
        if (input is null)
            throw meta.Error($"not a MinRnn model (no '{Signature.Tokens}' or '{Signature.Features}' input or no MinRnn metadata)");

        var vocab = meta.Int(K.Vocab);
        if (vocab < 1) throw meta.Error($"MinRnn metadata '{K.Vocab}' is {vocab}");
        var outputs = model.Graph.Output.ToDictionary(o => o.Name);
        var states = meta.Text(K.States).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name => State(meta, outputs, name)).ToList();
        foreach (var required in new[] { Signature.Logits, Signature.Predictions })
            if (!outputs.ContainsKey(required)) throw meta.Error($"not a MinRnn model (no '{required}' output)");
        return new ModelHeader(model, metadata, meta.Text(K.Cell), meta.Int(K.Layers), vocab, meta.Int(K.Dim), meta.Text(K.Form),
            meta.Has(K.ChunkSize) ? meta.Int(K.ChunkSize) : null, TaskHeader.Read(meta, vocab), states,
            meta.Text(K.ModelConfig), meta.Text(K.MinRnnVersion), input);
    }

    private static StateHeader State(MetadataEntries meta, Dictionary<string, ValueInfoProto> outputs, string name)
    {
        if (!outputs.TryGetValue(Signature.Final(name), out var output))
            throw meta.Error($"MinRnn metadata names state '{name}' but the graph has no output '{Signature.Final(name)}'");
        return new StateHeader(name, output.Name, output.Type.TensorType.Shape.Dim.Skip(1)
            .Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : Signature.GrowingDim).ToArray());
    }
}
