using MinRnn.Runs;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MinRnn.Tasks;

/// <summary>A task as JSON: its options (the record's properties, snake_case) with its name in front. A "task"
/// block without a name is a version-1 selective-copying block (runs written before the task contract).</summary>
public static class TaskJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The task's options only (no name): the parameters of its record's primary constructor.</summary>
    public static JsonObject OptionsOf(ISequenceTask task)
    {
        var json = JsonSerializer.SerializeToNode(task, task.GetType(), Options)!.AsObject();
        var parameters = task.GetType().GetConstructors().MaxBy(c => c.GetParameters().Length)!.GetParameters()
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!)).ToList();
        var options = new JsonObject();
        foreach (var name in parameters)
            if (json[name] is { } value) options[name] = value.DeepClone();
        return options;
    }

    public static JsonObject ToJson(ISequenceTask task)
    {
        var json = new JsonObject { ["name"] = task.Name };
        foreach (var (key, value) in OptionsOf(task)) json[key] = value?.DeepClone();
        return json;
    }

    /// <summary>Reads a task block; ArgumentException naming an unknown task.</summary>
    public static ISequenceTask FromJson(JsonObject json)
    {
        var name = json["name"]?.GetValue<string>() ?? SelectiveCopying.TaskName;
        var kind = TaskRegistry.Find(name);
        var options = json.DeepClone().AsObject();
        options.Remove("name");
        return (ISequenceTask)(options.Deserialize(kind.Type, Options) ?? throw new ArgumentException($"task: empty options for '{name}'"));
    }

    /// <summary>summary.json's task block: name, the options, and the vocabulary size.</summary>
    public static JsonObject Summary(ISequenceTask task)
    {
        var json = ToJson(task);
        json["vocab"] ??= task.Vocabulary.Size;
        return json;
    }

    /// <summary>The generic metadata_props of a task: name, length, options and special tokens (JSON).</summary>
    public static IEnumerable<(string Key, string Value)> Metadata(ISequenceTask task)
    {
        yield return (FileMetadataKeys.Task, task.Name);
        yield return (FileMetadataKeys.TaskSeqLen, task.SeqLen.ToString(CultureInfo.InvariantCulture));
        yield return (FileMetadataKeys.TaskOptions, PortableOptions(task).ToJsonString());
        yield return (FileMetadataKeys.SpecialTokens, JsonSerializer.Serialize(task.Vocabulary.Special));
    }

    /// <summary>The task's options as a file that travels carries them (ONNX metadata, safetensors header): a file option
    /// (data, eval_data) by its file name only, since the path on the machine that made the model means nothing on
    /// another and would publish that machine's folders; nothing reads the file again from a model.</summary>
    public static JsonObject PortableOptions(ISequenceTask task)
    {
        var options = OptionsOf(task);
        foreach (var (key, value) in options.ToList())
            if (value is JsonValue v && v.TryGetValue<string>(out var text) && Path.IsPathRooted(text))
                options[key] = Path.GetFileName(text);
        return options;
    }

    /// <summary>A JSON list, or null when the text is not one.</summary>
    private static JsonArray? List(string text)
    {
        try { return JsonNode.Parse(text) as JsonArray; }
        catch (JsonException) { return null; }
    }

    /// <summary>The task with options replaced from `key=value` strings (`--task-opt`); ArgumentException naming an
    /// option the task does not take or a value of the wrong kind. Keys may use - or _; a list option takes a JSON list.</summary>
    public static ISequenceTask With(ISequenceTask task, IEnumerable<(string Key, string Value)> settings)
    {
        var options = OptionsOf(task);
        foreach (var (rawKey, value) in settings)
        {
            var key = rawKey.Replace('-', '_');
            if (!options.TryGetPropertyValue(key, out var current))
                throw new ArgumentException($"task-opt: {task.Name} has no option '{rawKey}' (options: {string.Join(", ", options.Select(o => o.Key))})");
            options[key] = current?.GetValueKind() switch
            {
                JsonValueKind.Number => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? JsonValue.Create(i)
                    : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? JsonValue.Create(d)
                    : throw new ArgumentException($"task-opt: {key} = '{value}' is not a number"),
                JsonValueKind.True or JsonValueKind.False => value is "true" or "false" ? JsonValue.Create(value == "true")
                    : throw new ArgumentException($"task-opt: {key} = '{value}' is not one of true|false"),
                JsonValueKind.Array => List(value) ?? throw new ArgumentException($"task-opt: {key} = '{value}' is not a JSON list"),
                _ => JsonValue.Create(value),
            };
        }
        try
        {
            return (ISequenceTask)options.Deserialize(task.GetType(), Options)!;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"task-opt: {e.Message.Split('\n')[0]}");
        }
    }
}

/// <summary>Reads and writes RunConfig.Task through <see cref="TaskJson"/>.</summary>
public sealed class TaskJsonConverter : JsonConverter<ISequenceTask>
{
    public override ISequenceTask Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("task: not a JSON object");
        try { return TaskJson.FromJson(node); }
        catch (ArgumentException e) when (e is not UnknownTaskException) { throw new JsonException(e.Message); }
    }

    public override void Write(Utf8JsonWriter writer, ISequenceTask value, JsonSerializerOptions options) =>
        TaskJson.ToJson(value).WriteTo(writer);
}
