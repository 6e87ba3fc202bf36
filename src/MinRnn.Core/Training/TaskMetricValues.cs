using System.Text.Json;
using System.Text.Json.Nodes;
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
}
