using System.Globalization;
using System.Text.Json;
using K = MinRnn.Onnx.Format.MetadataKeys;

namespace MinRnn.Onnx.Format;

/// <summary>The task an exported model was trained on, from its metadata_props: the name as the file has it (selective
/// copying: <see cref="MetadataKeys.SelectiveCopyingTask"/>, its version-1 name), T, the options as <c>--task-opt</c>
/// takes them (option → value text: strings unquoted, anything else its JSON text) and the special tokens (name → id).
/// Files exported before task_options and special_tokens existed are selective copying; their task_tokens, marker_token
/// and noise_token give both.</summary>
/// <param name="Tokens">Selective copying only: K, the number of data tokens; −1 for every other task.</param>
/// <param name="MarkerToken">Selective copying only: the marker's id; −1 for every other task.</param>
/// <param name="NoiseToken">Selective copying only: the noise token's id; −1 for every other task.</param>
public sealed record TaskHeader(string Name, int SeqLen, IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, long> SpecialTokens, int Tokens, long MarkerToken, long NoiseToken)
{
    /// <summary>The task_options entry as written (a JSON object, each option with its JSON type: numbers, lists, null);
    /// null for files exported before it existed.</summary>
    public string? OptionsJson { get; init; }

    /// <summary>InvalidDataException (one line, naming the entry) for a missing or malformed entry.</summary>
    internal static TaskHeader Read(MetadataEntries meta, int vocab)
    {
        var name = meta.Text(K.Task);
        var copy = name == K.SelectiveCopyingTask;
        var (tokens, marker, noise) = copy ? (meta.Int(K.TaskTokens), meta.Int(K.MarkerToken), meta.Int(K.NoiseToken)) : (-1, -1, -1);
        var options = meta.Has(K.TaskOptions) || !copy ? ParseOptions(meta)
            : new Dictionary<string, string>
            {
                ["seq_len"] = meta.Text(K.TaskSeqLen), ["tokens"] = meta.Text(K.TaskTokens),
                ["vocab"] = (noise + 1).ToString(CultureInfo.InvariantCulture),
            };
        var special = meta.Has(K.SpecialTokens) || !copy ? ParseSpecials(meta, vocab)
            : new Dictionary<string, long> { ["marker"] = marker, ["noise"] = noise };
        return new TaskHeader(name, meta.Int(K.TaskSeqLen), options, special, tokens, marker, noise)
        {
            OptionsJson = meta.Has(K.TaskOptions) ? meta.Text(K.TaskOptions) : null,
        };
    }

    private static Dictionary<string, string> ParseOptions(MetadataEntries meta)
    {
        var json = meta.Text(K.TaskOptions);
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw meta.Error($"MinRnn metadata '{K.TaskOptions}' is not a JSON object ('{json}')", e);
        }
    }

    private static Dictionary<string, long> ParseSpecials(MetadataEntries meta, int vocab)
    {
        var json = meta.Text(K.SpecialTokens);
        Dictionary<string, long> ids;
        try
        {
            using var doc = JsonDocument.Parse(json);
            ids = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw meta.Error($"MinRnn metadata '{K.SpecialTokens}' is not a JSON object of token ids ('{json}')", e);
        }
        foreach (var (name, id) in ids)
            if (id < 0 || id >= vocab) throw meta.Error($"MinRnn metadata special token '{name}' is {id}, outside the vocabulary [0, {vocab})");
        return ids;
    }
}
