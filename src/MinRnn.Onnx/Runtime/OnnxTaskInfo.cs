using System.Globalization;
using System.Text.Json;
using MinRnn.Tasks;

namespace MinRnn.Onnx.Runtime;

/// <summary>The task an exported model was trained on, read from its metadata_props: the name as the file has it
/// (selective copying: "selective_copying", its version-1 name), T, the options as `--task-opt` takes them (option →
/// value text) and the special tokens (name → id). Files exported before task_options and special_tokens existed are
/// selective copying; their task_tokens, marker_token and noise_token give both. MinRnn.ML's SequenceModelInfo reads
/// the same entries.</summary>
public sealed record OnnxTaskInfo(string Name, int SeqLen, IReadOnlyDictionary<string, string> Options, IReadOnlyDictionary<string, long> SpecialTokens)
{
    /// <summary>The task as a record (registry defaults with the file's options), e.g. to draw evaluation rows;
    /// ArgumentException naming a task or option this MinRnn version does not know.</summary>
    public ISequenceTask ToTask() => TaskJson.With(TaskRegistry.Find(Name).Quick, Options.Select(p => (p.Key, p.Value)));

    /// <summary>InvalidDataException (one line, naming the entry) for a missing or malformed entry.</summary>
    public static OnnxTaskInfo Read(IReadOnlyDictionary<string, string> meta, int vocab, string path)
    {
        string Text(string key) => meta.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{path}: MinRnn metadata has no '{key}'");
        int Int(string key) => int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw new InvalidDataException($"{path}: MinRnn metadata '{key}' is not a non-negative integer ('{Text(key)}')");

        var name = Text("task");
        var copy = name == SelectiveCopying.FileName;
        var options = meta.ContainsKey("task_options") || !copy ? ParseOptions(Text("task_options"), path)
            : new Dictionary<string, string>
            {
                ["seq_len"] = Text("task_seq_len"), ["tokens"] = Text("task_tokens"),
                ["vocab"] = (Int("noise_token") + 1).ToString(CultureInfo.InvariantCulture),
            };
        var special = meta.ContainsKey("special_tokens") || !copy ? ParseSpecials(Text("special_tokens"), vocab, path)
            : new Dictionary<string, long> { ["marker"] = Int("marker_token"), ["noise"] = Int("noise_token") };
        return new OnnxTaskInfo(name, Int("task_seq_len"), options, special);
    }

    private static Dictionary<string, string> ParseOptions(string json, string path)
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

    private static Dictionary<string, long> ParseSpecials(string json, int vocab, string path)
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
}
