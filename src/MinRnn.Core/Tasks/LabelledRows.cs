using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MinRnn.Tasks;

/// <summary>Where a labelled row's labels sit: one per row (`"label"`, classify) or one per input step (`"labels"`, label);
/// None: rows to predict, whose labels (if any) are not read.</summary>
public enum LabelShape { PerRow, PerStep, None }

/// <summary>One row of a labelled JSONL file: its line (1-based), its input (text: Unicode scalar values; tokens: the
/// ids) and its labels as class names (one, or one per step).</summary>
public sealed record LabelledRow(int Line, int[] Input, string[] Labels);

/// <summary>A labelled JSONL file read whole: its input form (text | tokens), whether its labels are integers, its rows.</summary>
public sealed record LabelledFile(string Path, string Form, bool IntegerLabels, IReadOnlyList<LabelledRow> Rows);

/// <summary>Reads the user's labelled rows, one JSON object a line: `{"input": "text" | [id, …], "label": "name" | 7}`
/// or `{"input": …, "labels": [one per step]}`. Every error is one line: the option, the file, the line and the field.
/// Files are read once per process (keyed by path, size and write time).</summary>
public static class LabelledRows
{
    public const string Text = "text";
    public const string Tokens = "tokens";

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly ConcurrentDictionary<(string, DateTime, long, LabelShape), LabelledFile> Files = new();

    public static string Field(LabelShape shape) => shape == LabelShape.PerRow ? "label" : "labels";

    /// <summary>The file's rows; ArgumentException "{option}: {path} line N: {field}: {problem}".</summary>
    public static LabelledFile Read(string path, string option, LabelShape shape)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new ArgumentException($"{option}: {path} does not exist");
        return Files.GetOrAdd((file.FullName, file.LastWriteTimeUtc, file.Length, shape), _ => Parse(path, option, shape));
    }

    private static LabelledFile Parse(string path, string option, LabelShape shape)
    {
        string text;
        try { text = Strict.GetString(File.ReadAllBytes(path)); }
        catch (DecoderFallbackException e) { throw new ArgumentException($"{option}: {path} is not valid UTF-8 text (an invalid byte sequence near byte {Math.Max(0, e.Index)})"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ArgumentException($"{option}: {path} cannot be read ({e.Message.Split('\n')[0]})"); }
        var (rows, field) = (new List<LabelledRow>(), Field(shape));
        (string Form, int Line)? form = null;
        (bool Integer, int Line)? kind = null;
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var at = $"{option}: {path} line {i + 1}";
            JsonNode? node;
            try { node = JsonNode.Parse(lines[i]); }
            catch (JsonException e) { throw new ArgumentException($"{at}: not JSON ({e.Message.Split('\n')[0]})"); }
            if (node is not JsonObject row) throw new ArgumentException($"{at}: not a JSON object");
            var (rowForm, input) = Input(row["input"], row.ContainsKey("input"), at);
            form ??= (rowForm, i + 1);
            if (rowForm != form.Value.Form)
                throw new ArgumentException($"{at}: input: {rowForm}, but line {form.Value.Line}'s is {form.Value.Form} (one file holds one input form)");
            if (shape == LabelShape.None)
            {
                rows.Add(new LabelledRow(i + 1, input, []));
                continue;
            }
            if (!row.TryGetPropertyValue(field, out var labelNode)) throw new ArgumentException($"{at}: {field}: missing");
            var labels = shape == LabelShape.PerRow ? [Label(labelNode, $"{at}: {field}", ref kind, i + 1)]
                : labelNode is JsonArray list ? list.Select((l, s) => Label(l, $"{at}: {field}[{s}]", ref kind, i + 1)).ToArray()
                : throw new ArgumentException($"{at}: {field}: not a list (one label per input step)");
            if (shape == LabelShape.PerStep && labels.Length != input.Length)
                throw new ArgumentException($"{at}: {field}: {labels.Length} labels for {input.Length} input steps");
            rows.Add(new LabelledRow(i + 1, input, labels));
        }
        return rows.Count > 0 ? new LabelledFile(Path.GetFullPath(path), form!.Value.Form, kind?.Integer ?? false, rows)
            : throw new ArgumentException($"{option}: {path} has no rows");
    }

    /// <summary>A string gives its characters, a list of integers ≥ 0 its token ids; anything else is refused.</summary>
    private static (string Form, int[] Input) Input(JsonNode? node, bool present, string at)
    {
        if (!present) throw new ArgumentException($"{at}: input: missing");
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
            return s.Length > 0 ? (Text, [.. s.EnumerateRunes().Select(r => r.Value)]) : throw new ArgumentException($"{at}: input: empty");
        if (node is not JsonArray list) throw new ArgumentException($"{at}: input: not a string or a list of token ids");
        if (list.Count == 0) throw new ArgumentException($"{at}: input: empty");
        if (list[0] is JsonArray) throw new ArgumentException($"{at}: input: numeric steps ([[f1, …], …]) are not read by this version (text or token ids)");
        var ids = new int[list.Count];
        for (var t = 0; t < list.Count; t++)
            ids[t] = list[t] is JsonValue e && e.GetValueKind() == JsonValueKind.Number && e.TryGetValue<int>(out var id) && id >= 0 ? id
                : throw new ArgumentException($"{at}: input[{t}]: {list[t]?.ToJsonString() ?? "null"} is not a token id (an integer ≥ 0)");
        return (Tokens, ids);
    }

    /// <summary>A label's class name: a string as it is, an integer in decimal; one file's labels are all of one kind.</summary>
    private static string Label(JsonNode? node, string at, ref (bool Integer, int Line)? kind, int line)
    {
        var (integer, name) = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (false, v.GetValue<string>())
            : node is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue<long>(out var i) ? (true, i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : throw new ArgumentException($"{at}: {node?.ToJsonString() ?? "null"} is not a string or an integer");
        kind ??= (integer, line);
        if (integer != kind.Value.Integer)
            throw new ArgumentException($"{at}: {(integer ? "an integer" : "a string")}, but line {kind.Value.Line}'s labels are {(integer ? "strings" : "integers")}");
        return name;
    }
}
