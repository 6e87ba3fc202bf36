using System.Text.Json;
using MinRnn.Runs;
using F = MinRnn.Runs.RunFields;

namespace MinRnn.Analysis.Compare;

/// <summary>One finished run as `compare` sees it: where it is, the fields runs are grouped by, its numeric
/// metrics (every number at the top level of summary.json, e.g. test_accuracy, final_loss, train_seconds; of
/// explain.json as `explain.METHOD.SCORE`; and of the run's eval files at k × its training length as
/// `accuracy_Kx`, `sequence_accuracy_Kx` and, for language models, `bpc_Kx`), and its learning curve from metrics.jsonl.</summary>
public sealed record RunRecord(string Path, IReadOnlyDictionary<string, string> Fields,
    IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<CurvePoint> Curve);

/// <summary>One evaluation of a learning curve: step, accuracy on the evaluation set, training seconds so far, and bits per
/// character (language-model tasks; NaN otherwise).</summary>
public readonly record struct CurvePoint(int Step, double Accuracy, double Seconds, double Bpc = double.NaN);

/// <summary>Finds and reads runs below folders; malformed files are reported by path and skipped.</summary>
public static class RunLoader
{
    /// <summary>The fields a comparison can group by.</summary>
    public static readonly string[] GroupFields = [F.Task, F.Model, F.Layers, F.SeqLen, F.Tokens, F.Vocab, F.Steps, F.Seed, F.Dim, F.Expansion, F.Scan];

    public static (List<RunRecord> Runs, List<string> Problems) Load(IEnumerable<string> folders)
    {
        var (runs, problems) = (new List<RunRecord>(), new List<string>());
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) { problems.Add($"{folder}: no such folder"); continue; }
            foreach (var path in Directory.EnumerateFiles(folder, RunFileNames.Summary, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (InHiddenFolder(folder, path)) continue;           // .force-new/, .replaced/: a run being replaced

                try { runs.Add(Read(path)); }
                catch (Exception e) when (e is JsonException or InvalidDataException or IOException or InvalidOperationException or KeyNotFoundException)
                {
                    problems.Add($"{path}: skipped ({e.Message.Split('\n')[0]})");
                }
            }
        }
        return (runs.DistinctBy(r => System.IO.Path.GetFullPath(r.Path)).ToList(), problems);
    }

    private static bool InHiddenFolder(string root, string path) =>
        System.IO.Path.GetRelativePath(root, path).Split(System.IO.Path.DirectorySeparatorChar).SkipLast(1).Any(p => p.StartsWith('.'));

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
        fields[F.Model] = root.GetProperty(F.Model).GetString() ?? throw new InvalidDataException("model is null");
        foreach (var name in new[] { F.Layers, F.Seed, F.Steps }) fields[name] = root.GetProperty(name).ToString();
        if (root.TryGetProperty(F.Task, out var task) && task.ValueKind == JsonValueKind.Object)
            foreach (var p in task.EnumerateObject())
                if (p.Name == F.TaskName) fields[F.Task] = TaskNames.Canonical(p.Value.GetString() ?? "");   // version-1 summaries: selective_copying
                else if (p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False)
                    fields[p.Name] = p.Value.ToString();
        if (root.TryGetProperty(F.Config, out var config) && config.TryGetProperty(F.ConfigModel, out var model))
            foreach (var name in new[] { F.Dim, F.Expansion, F.Scan })
                if (model.TryGetProperty(name, out var v)) fields[name] = v.ToString();
        var dir = System.IO.Path.GetDirectoryName(summaryPath)!;
        AddExplain(dir, metrics);
        if (fields.TryGetValue(F.SeqLen, out var trainLength) && int.TryParse(trainLength, out var t) && t > 0) AddLengths(dir, t, metrics);
        return new RunRecord(summaryPath, fields, metrics, ReadCurve(dir));
    }

    /// <summary>explain.json of `minrnn explain`, if present: methods.NAME.SCORE → explain.NAME.SCORE.</summary>
    private static void AddExplain(string dir, Dictionary<string, double> metrics)
    {
        var path = System.IO.Path.Combine(dir, RunFileNames.ExplainFolder, RunFileNames.Explain);
        if (!File.Exists(path)) path = System.IO.Path.Combine(dir, RunFileNames.Explain);
        if (!File.Exists(path)) return;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty(F.ExplainMethods, out var methods) || methods.ValueKind != JsonValueKind.Object) return;
        foreach (var method in methods.EnumerateObject())
            if (method.Value.ValueKind == JsonValueKind.Object)
                foreach (var score in method.Value.EnumerateObject())
                    if (score.Value.ValueKind == JsonValueKind.Number)
                        metrics[$"explain.{method.Name}.{score.Name}"] = score.Value.GetDouble();
    }

    /// <summary>eval-*.json files at an integer multiple k ≥ 2 of the training length: accuracy_Kx, sequence_accuracy_Kx, bpc_Kx.</summary>
    private static void AddLengths(string dir, int trainLength, Dictionary<string, double> metrics)
    {
        foreach (var path in Directory.EnumerateFiles(dir, RunFileNames.EvalPattern))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                var root = doc.RootElement;
                if (!root.TryGetProperty(F.Task, out var task) || !task.TryGetProperty(F.SeqLen, out var len) || !len.TryGetInt32(out var length)) continue;
                if (length % trainLength != 0 || length / trainLength < 2) continue;
                var k = length / trainLength;
                foreach (var name in new[] { F.Accuracy, F.SequenceAccuracy, F.Bpc })
                    if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number) metrics[$"{name}_{k}x"] = v.GetDouble();
            }
            catch (JsonException) { }                                         // an unreadable eval file adds no metric
        }
    }

    private static double Number(JsonElement line, string name) =>
        line.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    private static List<CurvePoint> ReadCurve(string dir)
    {
        var path = System.IO.Path.Combine(dir, RunFileNames.Metrics);
        var curve = new List<CurvePoint>();
        if (!File.Exists(path)) return curve;
        var lines = File.ReadAllText(path).Split('\n');                  // the last is "" unless a kill tore it
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty(F.Step, out var s) && doc.RootElement.TryGetProperty(F.Accuracy, out var a))
                    curve.Add(new CurvePoint(s.GetInt32(), a.ValueKind == JsonValueKind.Number ? a.GetDouble() : double.NaN,
                        Number(doc.RootElement, F.ElapsedS), Number(doc.RootElement, F.Bpc)));
            }
            catch (JsonException) when (i == lines.Length - 1) { }          // a torn last line: the curve ends earlier
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} line {i + 1} is not JSON ({e.Message.Split('\n')[0]})");
            }
        }
        return curve;
    }
}
