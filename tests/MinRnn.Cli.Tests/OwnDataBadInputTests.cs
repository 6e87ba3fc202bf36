using System.Security.Cryptography;

namespace MinRnn.Tests.Cli;

/// <summary>Bad rows of the user's own data (classify, label): one line naming the file, the line number and the field
/// (or what the file lacks), exit code 2, no run folder created and every file as it was.</summary>
public class OwnDataBadInputTests
{
    private const string Good = """{"input": "ab", "label": "x"}""";
    private const string Other = """{"input": "ba", "label": "y"}""";
    private const string Steps = """{"input": [[0.5, 1.0], [2, -3]], "label": "x"}""";

    /// <summary>name, task, training rows, evaluation rows (null: none), words the line must hold.</summary>
    public static TheoryData<string, string, string[], string[]?, string[]> Cases => new()
    {
        { "not-json", "classify", [Good, "{\"input\": \"ab\", \"label\": "], null, ["train.jsonl line 2", "not JSON"] },
        { "not-an-object", "classify", [Good, "[1, 2]"], null, ["train.jsonl line 2", "not a JSON object"] },
        { "no-input", "classify", [Good, """{"text": "ab", "label": "y"}"""], null, ["train.jsonl line 2", "input: missing"] },
        { "no-label", "classify", [Good, """{"input": "ab"}"""], null, ["train.jsonl line 2", "label: missing"] },
        { "empty-input", "classify", [Good, """{"input": "", "label": "y"}"""], null, ["train.jsonl line 2", "input: empty"] },
        { "empty-token-list", "classify", [Good, """{"input": [], "label": "y"}"""], null, ["train.jsonl line 2", "input: empty"] },
        { "mixed-forms", "classify", [Good, """{"input": [1, 2], "label": "y"}"""], null, ["train.jsonl line 2", "input: tokens, but line 1's is text"] },
        { "negative-token", "classify", ["""{"input": [1, -2], "label": "x"}""", Other], null, ["train.jsonl line 1", "input[1]"] },
        { "fractional-token", "classify", ["""{"input": [1.5], "label": "x"}""", Other], null, ["train.jsonl line 1", "input[0]"] },
        { "numeric-other-f", "classify", [Steps, """{"input": [[1, 2, 3]], "label": "y"}"""], null, ["train.jsonl line 2", "input: steps of 3 features, but line 1's have 2"] },
        { "numeric-f-within-row", "classify", [Steps, """{"input": [[1, 2], [3]], "label": "y"}"""], null, ["train.jsonl line 2", "input[1]: 1 numbers, but input[0] has 2"] },
        { "numeric-overflow", "classify", [Steps, """{"input": [[1, 2], [3, 1e999]], "label": "y"}"""], null, ["train.jsonl line 2", "input[1][1]: 1e999 is not a finite float32 number"] },
        { "numeric-beyond-float32", "classify", [Steps, """{"input": [[-1e300, 2]], "label": "y"}"""], null, ["train.jsonl line 2", "input[0][0]", "not a finite float32"] },
        { "numeric-nan", "classify", [Steps, """{"input": [[NaN, 2]], "label": "y"}"""], null, ["train.jsonl line 2", "not JSON", "NaN and Infinity are not JSON numbers"] },
        { "numeric-infinity", "classify", [Steps, """{"input": [[1, -Infinity]], "label": "y"}"""], null, ["train.jsonl line 2", "not JSON", "NaN and Infinity"] },
        { "numeric-string", "classify", [Steps, """{"input": [[1, "2"]], "label": "y"}"""], null, ["train.jsonl line 2", "input[0][1]: \"2\" is not a number"] },
        { "numeric-empty-step", "classify", [Steps, """{"input": [[1, 2], []], "label": "y"}"""], null, ["train.jsonl line 2", "input[1]: empty step"] },
        { "numeric-empty-first-step", "classify", [Steps, """{"input": [[]], "label": "y"}"""], null, ["train.jsonl line 2", "input[0]: empty step"] },
        { "numeric-step-not-a-list", "classify", [Steps, """{"input": [[1, 2], 3], "label": "y"}"""], null, ["train.jsonl line 2", "input[1]: 3 is not a step"] },
        { "numeric-then-text", "classify", [Steps, Good], null, ["train.jsonl line 2", "input: text, but line 1's is numeric"] },
        { "text-then-numeric", "classify", [Good, Steps], null, ["train.jsonl line 2", "input: numeric, but line 1's is text"] },
        { "numeric-eval-other-f", "classify", [Steps, """{"input": [[5, 6]], "label": "y"}"""], ["""{"input": [[1, 2, 3]], "label": "x"}"""],
            ["test.jsonl line 1", "input[0]: steps of 3 features, but the task reads 2"] },
        { "numeric-eval-text", "classify", [Steps, """{"input": [[5, 6]], "label": "y"}"""], [Good], ["test.jsonl line 1", "input: text, but the task reads numeric"] },
        { "numeric-labels-wrong-length", "label", ["""{"input": [[1], [2]], "labels": ["x", "y"]}""", """{"input": [[1], [2]], "labels": ["x"]}"""], null,
            ["train.jsonl line 2", "labels: 1 labels for 2 input steps"] },
        { "numeric-single-class", "classify", [Steps, Steps], null, ["train.jsonl", "at least two classes"] },
        { "label-not-scalar", "classify", [Good, """{"input": "ab", "label": [1]}"""], null, ["train.jsonl line 2", "label:"] },
        { "labels-mixed-kinds", "classify", [Good, """{"input": "ab", "label": 3}"""], null, ["train.jsonl line 2", "label:", "an integer"] },
        { "single-class", "classify", [Good, Good, Good], null, ["train.jsonl", "label", "at least two classes"] },
        { "label-only-in-eval", "classify", [Good, Other], [Good, """{"input": "ab", "label": "z"}"""], ["test.jsonl line 2", "label: 'z' is not a class"] },
        { "eval-form-differs", "classify", [Good, Other], ["""{"input": [0], "label": "x"}"""], ["test.jsonl line 1", "input: tokens, but the task reads text"] },
        { "too-few-to-hold-out", "classify", [Good, Other], null, ["train.jsonl", "--eval-data"] },
        { "labels-wrong-length", "label", ["""{"input": "ab", "labels": ["x", "y"]}""", """{"input": "abc", "labels": ["x", "y"]}"""], null,
            ["train.jsonl line 2", "labels: 2 labels for 3 input steps"] },
        { "labels-not-a-list", "label", ["""{"input": "ab", "labels": "x"}"""], null, ["train.jsonl line 1", "labels: not a list"] },
        { "label-field-for-label", "label", [Good], null, ["train.jsonl line 1", "labels: missing"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadRowIsOneLineNamingFileLineAndField(string name, string task, string[] train, string[]? test, string[] words)
    {
        using var tmp = new TempFolder();
        File.WriteAllLines(tmp["train.jsonl"], train);
        if (test is not null) File.WriteAllLines(tmp["test.jsonl"], test);
        string[] args = ["train", "--model", "gru", "--task", task, "--data", tmp["train.jsonl"], .. test is null ? Array.Empty<string>() : ["--eval-data", tmp["test.jsonl"]],
            "--steps", "1", "--device", "cpu", "--out", tmp["run"]];
        Refused(name, args, tmp, words);
    }

    [Fact]
    public void MissingFileAndAFileOptionTheTaskDoesNotRead()
    {
        using var tmp = new TempFolder();
        Refused("missing", ["train", "--model", "gru", "--task", "classify", "--data", tmp["none.jsonl"], "--out", tmp["run"]], tmp, ["none.jsonl", "does not exist"]);
        File.WriteAllLines(tmp["train.jsonl"], [Good, Other]);
        Refused("vocab-from", ["train", "--model", "gru", "--task", "classify", "--data", tmp["train.jsonl"], "--vocab-from", tmp["train.jsonl"], "--out", tmp["run"]],
            tmp, ["--vocab-from", "classify"]);
        File.WriteAllBytes(tmp["latin1.jsonl"], [.. "{\"input\": \""u8, 0xE9, .. "\", \"label\": \"x\"}\n"u8]);
        Refused("not-utf8", ["train", "--model", "gru", "--task", "classify", "--data", tmp["latin1.jsonl"], "--out", tmp["run"]], tmp, ["latin1.jsonl", "UTF-8"]);
    }

    /// <summary>`eval --data` with a label the run's model never saw: refused, and the run folder is unchanged.</summary>
    [Fact]
    public void EvalOnRowsWithAnUnknownLabel()
    {
        using var tmp = new TempFolder();
        File.WriteAllLines(tmp["train.jsonl"], Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? Good : Other));
        var (code, _, err) = MinrnnProcess.Run("train", "--model", "gru", "--layers", "1", "--dim", "8", "--task", "classify", "--data", tmp["train.jsonl"],
            "--steps", "2", "--device", "cpu", "--out", tmp["run"]);
        Assert.True(code == 0, err);
        File.WriteAllLines(tmp["new.jsonl"], [Good, """{"input": "ab", "label": "w"}"""]);
        Refused("eval-unknown-label", ["eval", "--run", tmp["run"], "--data", tmp["new.jsonl"], "--device", "cpu"], tmp, ["new.jsonl line 2", "label: 'w'"], runExists: true);
    }

    /// <summary>`predict --run` on rows whose input form or F is not the model's: refused naming the file, the line and
    /// the field, and no predictions file written.</summary>
    [Fact]
    public void PredictOnRowsOfAnotherFormOrFeatures()
    {
        using var tmp = new TempFolder();
        File.WriteAllLines(tmp["train.jsonl"], Enumerable.Range(0, 20).Select(i => $$"""{"input": [[{{i}}, 1], [2, {{-i}}]], "label": "{{"xy"[i % 2]}}"}"""));
        var (code, _, err) = MinrnnProcess.Run("train", "--model", "mingru", "--layers", "1", "--dim", "8", "--task", "classify", "--data", tmp["train.jsonl"],
            "--steps", "2", "--device", "cpu", "--out", tmp["run"]);
        Assert.True(code == 0, err);
        File.WriteAllLines(tmp["f3.jsonl"], ["""{"input": [[1, 2, 3]]}"""]);
        File.WriteAllLines(tmp["text.jsonl"], ["""{"input": [[1, 2]]}""", """{"input": "ab"}"""]);
        File.WriteAllLines(tmp["tokens.jsonl"], ["""{"input": [4, 5]}"""]);
        File.WriteAllText(tmp["tokens.json"], "[[1, 2]]");
        string[] Predict(string file) => ["predict", "--run", tmp["run"], "--data", tmp[file], "--out", tmp["preds.jsonl"], "--device", "cpu"];
        Refused("predict-other-f", Predict("f3.jsonl"), tmp, ["f3.jsonl line 1", "input[0]: steps of 3 features, but the task reads 2"], runExists: true);
        Refused("predict-mixed", Predict("text.jsonl"), tmp, ["text.jsonl line 2", "input: text, but line 1's is numeric"], runExists: true);
        Refused("predict-tokens", Predict("tokens.jsonl"), tmp, ["tokens.jsonl line 1", "input: tokens, but the task reads numeric"], runExists: true);
        Refused("predict-input", ["predict", "--run", tmp["run"], "--input", tmp["tokens.json"], "--out", tmp["preds.jsonl"]], tmp, ["--input", "numeric steps of 2 features"], runExists: true);
        Assert.False(File.Exists(tmp["preds.jsonl"]));
    }

    private static void Refused(string name, string[] args, TempFolder tmp, string[] words, bool runExists = false)
    {
        var before = Snapshot(tmp.Path);
        var (code, _, err) = MinrnnProcess.Run(args);
        var lines = err.Trim().Split('\n');
        Assert.True(code == 2, $"{name}: exit {code}: {err}");
        Assert.Single(lines);
        foreach (var word in words) Assert.True(lines[0].Contains(word, StringComparison.Ordinal), $"{name}: '{word}' not in: {lines[0]}");
        Assert.DoesNotContain("   at ", err);
        Assert.Equal(runExists, Directory.Exists(tmp["run"]));
        Assert.Equal(before, Snapshot(tmp.Path));
    }

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
