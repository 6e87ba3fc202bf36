using System.Text.Json;
using System.Text.Json.Serialization;

namespace MinRnn.Runs;

/// <summary>How every JSON file of a run folder is written and read.</summary>
public static class RunJson
{
    /// <summary>snake_case names, indented, nulls left out, NaN and ±Infinity as named literals.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The same, one object per line (metrics.jsonl).</summary>
    public static readonly JsonSerializerOptions Line = new(Options) { WriteIndented = false };

    /// <summary>The members of a JSON object that no property of T names: a task's own metrics. System.Text.Json leaves
    /// extension data empty for a record bound through its constructor, so readers collect them here.</summary>
    public static Dictionary<string, JsonElement>? Unknown<T>(string json, JsonSerializerOptions options)
    {
        var known = options.GetTypeInfo(typeof(T)).Properties
            .Where(p => p.AttributeProvider?.IsDefined(typeof(JsonIgnoreAttribute), inherit: false) != true && !p.IsExtensionData)
            .Select(p => p.Name).ToHashSet();
        using var doc = JsonDocument.Parse(json);
        var members = doc.RootElement.EnumerateObject().Where(p => !known.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.Clone());
        return members.Count > 0 ? members : null;
    }

    /// <summary>The number under `name`, or null when the members have none.</summary>
    public static double? Number(IReadOnlyDictionary<string, JsonElement>? members, string name) =>
        members is not null && members.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
