using System.Text.Json;

namespace MinRnn.Onnx.Runtime;

/// <summary>Token sequences of any lengths (each ≥ 1), as read from `[[int, …], …]` JSON. Bad input is an ArgumentException
/// with one line naming the row and position.</summary>
public sealed record TokenBatch(long[][] Rows)
{
    public int Batch => Rows.Length;

    /// <summary>The longest row's length.</summary>
    public int MaxTime => Rows.Max(r => r.Length);

    /// <param name="source">Names the input in error messages (e.g. "--input").</param>
    public static TokenBatch Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new ArgumentException($"{source}: not valid JSON ({e.Message.Split('\n')[0]})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                throw new ArgumentException($"{source}: expected a JSON array of token sequences [[int, …], …], got {Describe(root)}");
            var rows = root.GetArrayLength();
            if (rows == 0) throw new ArgumentException($"{source}: no sequences (an empty batch)");
            var sequences = new List<long[]>();
            var r = 0;
            foreach (var row in root.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Array)
                    throw new ArgumentException($"{source}: row {r} is {Describe(row)}, expected an array of token ids (input must be rank 2: [[int, …], …])");
                var length = row.GetArrayLength();
                if (length == 0) throw new ArgumentException($"{source}: row {r} is an empty sequence (every sequence needs ≥ 1 token; rows may differ in length)");
                var tokens = new long[length];
                var p = 0;
                foreach (var v in row.EnumerateArray())
                {
                    if (v.ValueKind == JsonValueKind.Array)
                        throw new ArgumentException($"{source}: row {r}, position {p} is an array (input must be rank 2: [[int, …], …])");
                    if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var id))
                        throw new ArgumentException($"{source}: row {r}, position {p} is {Describe(v)}, not an integer token id");
                    tokens[p++] = id;
                }
                sequences.Add(tokens);
                r++;
            }
            return new TokenBatch([.. sequences]);
        }
    }

    /// <summary>Throws ArgumentException naming the first token outside [0, vocab).</summary>
    public void CheckVocabulary(int vocab, string source)
    {
        for (var r = 0; r < Rows.Length; r++)
            for (var t = 0; t < Rows[r].Length; t++)
                if (Rows[r][t] < 0 || Rows[r][t] >= vocab)
                    throw new ArgumentException($"{source}: row {r}, position {t} is token {Rows[r][t]}, outside the model's vocabulary [0, {vocab})");
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => $"the string \"{Truncate(e.GetString() ?? "")}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };

    private static string Truncate(string s) => s.Length <= 20 ? s : s[..20] + "…";
}
