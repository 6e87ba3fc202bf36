using System.Text.Json;
using Onnx;

namespace MinRnn.Onnx.Format;

/// <summary>What a model reads: token ids (<see cref="Signature.Tokens"/>) or numeric steps (<see cref="Signature.Features"/>).</summary>
public enum InputForm { Tokens, Features }

/// <summary>A MinRnn file's one sequence input as its graph declares it: the input's name, its form, and for numeric steps
/// F, the features per step (the input's fixed last dimension, equal to the <c>features</c> of its model_config).</summary>
/// <param name="Features">F for <see cref="InputForm.Features"/>; null for tokens.</param>
public sealed record InputHeader(string Name, InputForm Form, int? Features)
{
    /// <summary>The values one step takes: 1 token id, or F features.</summary>
    public int Width => Features ?? 1;

    /// <summary>"token ids (batch, time)" or "numeric steps of F = 3 features (batch, time, 3)", for messages.</summary>
    public override string ToString() =>
        Features is { } f ? $"numeric steps of F = {f} features (batch, time, {f})" : "token ids (batch, time)";

    /// <summary>The graph's tokens or features input, checked against the model_config JSON; null when it has neither.</summary>
    internal static InputHeader? Read(GraphProto graph, string modelConfigJson, MetadataEntries meta)
    {
        var inputs = graph.Input.Where(i => i.Name is Signature.Tokens or Signature.Features).ToList();
        if (inputs.Count == 0) return null;
        if (inputs.Count > 1) throw meta.Error($"the graph has both a '{Signature.Tokens}' and a '{Signature.Features}' input");
        var configured = ConfiguredFeatures(modelConfigJson, meta);
        var input = inputs[0];
        if (input.Name == Signature.Tokens)
            return configured is null ? new InputHeader(Signature.Tokens, InputForm.Tokens, null)
                : throw meta.Error($"the graph reads '{Signature.Tokens}' but model_config has features {configured}");
        var tensor = input.Type?.TensorType;
        var dims = tensor?.Shape?.Dim;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float || dims is null || dims.Count != 3)
            throw meta.Error($"input '{Signature.Features}' is not float (batch, time, F)");
        var last = dims[2];
        if (last.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || last.DimValue < 1 || last.DimValue > int.MaxValue)
            throw meta.Error($"input '{Signature.Features}' has no fixed F ≥ 1 as its last dimension");
        var f = (int)last.DimValue;
        return configured == f ? new InputHeader(Signature.Features, InputForm.Features, f)
            : throw meta.Error($"input '{Signature.Features}' has F = {f} but model_config has features {(configured?.ToString() ?? "null")}");
    }

    /// <summary>model_config's "features" (null when absent or null: a token model).</summary>
    private static int? ConfiguredFeatures(string json, MetadataEntries meta)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
            return doc.RootElement.TryGetProperty("features", out var f) && f.ValueKind != JsonValueKind.Null ? f.GetInt32() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw meta.Error($"MinRnn metadata '{MetadataKeys.ModelConfig}' is not a JSON object with an integer 'features' ({ErrorText.FirstLine(e.Message)})", e);
        }
    }
}
