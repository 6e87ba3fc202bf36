using MinRnn.Runs;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MinRnn.Runs;

/// <summary>One line of DIR/metrics.jsonl, written at every evaluation. `loss` and `accuracy` are measured on the
/// fixed evaluation set; `train_loss` is the mean training loss since the previous line; the task's own scalar metrics
/// follow (e.g. char-lm's `bpc`, `loss` in bits per character).</summary>
public sealed record MetricsLine(
    int Step,
    double Loss,
    double Accuracy,
    double SequenceAccuracy,
    double TrainLoss,
    double Lr,
    double ElapsedS)
{
    /// <summary>The task's own metrics, written after the others.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? TaskMetrics { get; init; }

    /// <summary>char-lm's bits per character, when the line has them.</summary>
    [JsonIgnore] public double? Bpc => RunJson.Number(TaskMetrics, RunFields.Bpc);

    /// <summary>One line as written (no newline).</summary>
    public string ToLine() => JsonSerializer.Serialize(this, RunJson.Line);

    /// <summary>Parses one line, task metrics included; a malformed line throws JsonException.</summary>
    public static MetricsLine Parse(string line) =>
        (JsonSerializer.Deserialize<MetricsLine>(line, RunJson.Line) ?? throw new JsonException("null line")) with
        { TaskMetrics = RunJson.Unknown<MetricsLine>(line, RunJson.Line) };
}
