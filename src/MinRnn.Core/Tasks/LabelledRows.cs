using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MinRnn.Tasks;

/// <summary>Where a labelled row's labels sit: one per row (`"label"`, classify) or one per input step (`"labels"`, label);
/// None: rows to predict, whose labels (if any) are not read.</summary>
public enum LabelShape { PerRow, PerStep, None }

/// <summary>One row of a labelled JSONL file: its line (1-based), its input (text: Unicode scalar values; tokens: the
/// ids; numeric: empty) and its labels as class names (one, or one per step). A numeric row's steps are Values, Steps × F
/// floats row-major (step t's features at t·F … t·F + F − 1).</summary>
public sealed record LabelledRow(int Line, int[] Input, string[] Labels, float[]? Values = null, int Features = 0)
{
    /// <summary>The row's number of steps: characters, token ids or numeric steps.</summary>
    public int Steps => Values is null ? Input.Length : Values.Length / Features;
}

/// <summary>A labelled JSONL file read whole: its input form (text | tokens | numeric), whether its labels are integers,
/// its rows, and for numeric rows the features F per step (0 otherwise).</summary>
public sealed record LabelledFile(string Path, string Form, bool IntegerLabels, IReadOnlyList<LabelledRow> Rows, int Features = 0);

/// <summary>Reads the user's labelled rows, one JSON object a line: `{"input": "text" | [id, …] | [[f1, …, fF], …],
/// "label": "name" | 7}` or `{"input": …, "labels": [one per step]}`. Every error is one line: the option, the file, the line and the field.
/// Files are read once per process (keyed by path, size and write time).</summary>
public static class LabelledRows
{
    public const string Text = "text";
    public const string Tokens = "tokens";
    public const string Numeric = "numeric";

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
        (int Features, int Line)? width = null;
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var at = $"{option}: {path} line {i + 1}";
            JsonNode? node;
            try { node = JsonNode.Parse(lines[i]); }
            catch (JsonException e) { throw new ArgumentException($"{at}: not JSON ({e.Message.Split('\n')[0]}){NotJsonNumbers(lines[i])}"); }
            if (node is not JsonObject row) throw new ArgumentException($"{at}: not a JSON object");
            var (rowForm, input, values, features) = Input(row["input"], row.ContainsKey("input"), at);
            form ??= (rowForm, i + 1);
            if (rowForm != form.Value.Form)
                throw new ArgumentException($"{at}: input: {rowForm}, but line {form.Value.Line}'s is {form.Value.Form} (one file holds one input form)");
            width ??= (features, i + 1);
            if (features != width.Value.Features)
                throw new ArgumentException($"{at}: input: steps of {features} features, but line {width.Value.Line}'s have {width.Value.Features} (one file has one F)");
            var steps = values is null ? input.Length : values.Length / features;
            if (shape == LabelShape.None)
            {
                rows.Add(new LabelledRow(i + 1, input, [], values, features));
                continue;
            }
            if (!row.TryGetPropertyValue(field, out var labelNode)) throw new ArgumentException($"{at}: {field}: missing");
            var labels = shape == LabelShape.PerRow ? [Label(labelNode, $"{at}: {field}", ref kind, i + 1)]
                : labelNode is JsonArray list ? list.Select((l, s) => Label(l, $"{at}: {field}[{s}]", ref kind, i + 1)).ToArray()
                : throw new ArgumentException($"{at}: {field}: not a list (one label per input step)");
            if (shape == LabelShape.PerStep && labels.Length != steps)
                throw new ArgumentException($"{at}: {field}: {labels.Length} labels for {steps} input steps");
            rows.Add(new LabelledRow(i + 1, input, labels, values, features));
        }
        return rows.Count > 0 ? new LabelledFile(Path.GetFullPath(path), form!.Value.Form, kind?.Integer ?? false, rows, width!.Value.Features)
            : throw new ArgumentException($"{option}: {path} has no rows");
    }

    /// <summary>A string gives its characters, a list of integers ≥ 0 its token ids, a list of lists of numbers its numeric
    /// steps (Values, F a step); anything else is refused.</summary>
    private static (string Form, int[] Input, float[]? Values, int Features) Input(JsonNode? node, bool present, string at)
    {
        if (!present) throw new ArgumentException($"{at}: input: missing");
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
            return s.Length > 0 ? (Text, [.. s.EnumerateRunes().Select(r => r.Value)], null, 0) : throw new ArgumentException($"{at}: input: empty");
        if (node is not JsonArray list) throw new ArgumentException($"{at}: input: not a string, a list of token ids or a list of steps of numbers");
        if (list.Count == 0) throw new ArgumentException($"{at}: input: empty");
        if (list[0] is JsonArray) return Steps(list, at);
        var ids = new int[list.Count];
        for (var t = 0; t < list.Count; t++)
            ids[t] = list[t] is JsonValue e && e.GetValueKind() == JsonValueKind.Number && e.TryGetValue<int>(out var id) && id >= 0 ? id
                : throw new ArgumentException($"{at}: input[{t}]: {list[t]?.ToJsonString() ?? "null"} is not a token id (an integer ≥ 0)");
        return (Tokens, ids, null, 0);
    }

    /// <summary>Numeric steps [[f1, …, fF], …]: every step a non-empty list of F finite numbers (float32), F fixed by the
    /// first step. A number beyond float32's range (JSON has no NaN or infinity, but 1e999 overflows to one) is refused.</summary>
    private static (string, int[], float[], int) Steps(JsonArray list, string at)
    {
        var features = ((JsonArray)list[0]!).Count;
        var values = new float[list.Count * Math.Max(1, features)];
        for (var t = 0; t < list.Count; t++)
        {
            if (list[t] is not JsonArray step) throw new ArgumentException($"{at}: input[{t}]: {list[t]?.ToJsonString() ?? "null"} is not a step (a list of numbers)");
            if (step.Count == 0) throw new ArgumentException($"{at}: input[{t}]: empty step");
            if (step.Count != features) throw new ArgumentException($"{at}: input[{t}]: {step.Count} numbers, but input[0] has {features} (every step has the same F)");
            for (var k = 0; k < features; k++)
                values[t * features + k] = step[k] is JsonValue e && e.GetValueKind() == JsonValueKind.Number
                    ? e.TryGetValue<double>(out var x) && float.IsFinite((float)x) ? (float)x
                        : throw new ArgumentException($"{at}: input[{t}][{k}]: {e.ToJsonString()} is not a finite float32 number")
                    : throw new ArgumentException($"{at}: input[{t}][{k}]: {step[k]?.ToJsonString() ?? "null"} is not a number");
        }
        return (Numeric, [], values, features);
    }

    /// <summary>For a line that is not JSON: a hint when it holds NaN or Infinity, which are numbers in JavaScript but not in JSON.</summary>
    private static string NotJsonNumbers(string line) =>
        System.Text.RegularExpressions.Regex.IsMatch(line, @"(?<![""\w])-?(NaN|Infinity)(?![""\w])") ? "; NaN and Infinity are not JSON numbers, and not accepted as features" : "";

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
