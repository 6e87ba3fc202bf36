using System.Text.Json;

namespace MinRnn.Analysis.Compare;

/// <summary>One finished run as `compare` sees it: where it is, the fields runs are grouped by, its numeric
/// metrics (every number at the top level of summary.json, e.g. test_accuracy, final_loss, train_seconds, and of
/// explain.json as `explain.METHOD.SCORE`), and its learning curve from metrics.jsonl.</summary>
public sealed record RunRecord(string Path, IReadOnlyDictionary<string, string> Fields,
    IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<(int Step, double Accuracy)> Curve);

/// <summary>Finds and reads runs below folders; malformed files are reported by path and skipped.</summary>
public static class RunLoader
{
    /// <summary>The fields a comparison can group by.</summary>
    public static readonly string[] GroupFields = ["model", "layers", "seq_len", "tokens", "vocab", "steps", "seed", "dim", "expansion", "scan"];

    public static (List<RunRecord> Runs, List<string> Problems) Load(IEnumerable<string> folders)
    {
        var (runs, problems) = (new List<RunRecord>(), new List<string>());
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) { problems.Add($"{folder}: no such folder"); continue; }
            foreach (var path in Directory.EnumerateFiles(folder, "summary.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                try { runs.Add(Read(path)); }
                catch (Exception e) when (e is JsonException or InvalidDataException or IOException or InvalidOperationException or KeyNotFoundException)
                {
                    problems.Add($"{path}: skipped ({e.Message.Split('\n')[0]})");
                }
            }
        }
        return (runs.DistinctBy(r => System.IO.Path.GetFullPath(r.Path)).ToList(), problems);
    }

    private static RunRecord Read(string summaryPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(summaryPath));
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException("summary is not a JSON object");
        var fields = new Dictionary<string, string>();
        var metrics = new Dictionary<string, double>();
        foreach (var p in root.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Number) metrics[p.Name] = p.Value.GetDouble();
            else if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is "NaN" or "Infinity" or "-Infinity")
                metrics[p.Name] = double.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        fields["model"] = root.GetProperty("model").GetString() ?? throw new InvalidDataException("model is null");
        fields["layers"] = root.GetProperty("layers").ToString();
        fields["seed"] = root.GetProperty("seed").ToString();
        fields["steps"] = root.GetProperty("steps").ToString();
        if (root.TryGetProperty("task", out var task))
            foreach (var name in new[] { "seq_len", "tokens", "vocab" })
                if (task.TryGetProperty(name, out var v)) fields[name] = v.ToString();
        if (root.TryGetProperty("config", out var config) && config.TryGetProperty("model", out var model))
            foreach (var name in new[] { "dim", "expansion", "scan" })
                if (model.TryGetProperty(name, out var v)) fields[name] = v.ToString();
        var dir = System.IO.Path.GetDirectoryName(summaryPath)!;
        AddExplain(dir, metrics);
        return new RunRecord(summaryPath, fields, metrics, ReadCurve(dir));
    }

    /// <summary>explain.json of `minrnn explain`, if present: methods.NAME.SCORE → explain.NAME.SCORE.</summary>
    private static void AddExplain(string dir, Dictionary<string, double> metrics)
    {
        var path = System.IO.Path.Combine(dir, "explain", "explain.json");
        if (!File.Exists(path)) path = System.IO.Path.Combine(dir, "explain.json");
        if (!File.Exists(path)) return;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("methods", out var methods) || methods.ValueKind != JsonValueKind.Object) return;
        foreach (var method in methods.EnumerateObject())
            if (method.Value.ValueKind == JsonValueKind.Object)
                foreach (var score in method.Value.EnumerateObject())
                    if (score.Value.ValueKind == JsonValueKind.Number)
                        metrics[$"explain.{method.Name}.{score.Name}"] = score.Value.GetDouble();
    }

    private static List<(int, double)> ReadCurve(string dir)
    {
        var path = System.IO.Path.Combine(dir, "metrics.jsonl");
        var curve = new List<(int, double)>();
        if (!File.Exists(path)) return curve;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("step", out var s) && doc.RootElement.TryGetProperty("accuracy", out var a))
                    curve.Add((s.GetInt32(), a.ValueKind == JsonValueKind.Number ? a.GetDouble() : double.NaN));
            }
            catch (JsonException) { }                                         // a torn last line: the curve ends earlier
        }
        return curve;
    }
}
