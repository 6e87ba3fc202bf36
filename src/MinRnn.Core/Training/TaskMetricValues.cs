using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MinRnn.Tasks;

namespace MinRnn.Training;

/// <summary>A task's own metric values (<see cref="ISequenceTask.Measure"/>) as the extra JSON members of a run file:
/// metrics.jsonl takes the scalar metrics, eval files everything as measured, summary.json everything as test_NAME.</summary>
public static class TaskMetricValues
{
    /// <summary>The members to write, or null when the task measures nothing (the file then has none).</summary>
    public static Dictionary<string, JsonElement>? Of(JsonObject measured, string prefix = "", IReadOnlyList<TaskMetric>? only = null)
    {
        var members = measured.Where(m => only is null || only.Any(t => t.Name == m.Key))
            .ToDictionary(m => prefix + m.Key, m => JsonSerializer.SerializeToElement(m.Value, RunConfig.Json));
        return members.Count > 0 ? members : null;
    }

    /// <summary>The members of a JSON object that no property of T names: its task metrics. System.Text.Json leaves
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

    /// <summary>The number under `name`, or null when the file has none.</summary>
    public static double? Number(IReadOnlyDictionary<string, JsonElement>? members, string name) =>
        members is not null && members.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
