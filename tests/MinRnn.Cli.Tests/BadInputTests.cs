using System.Security.Cryptography;
using System.Text;

namespace MinRnn.Tests.Cli;

/// <summary>The artefacts the bad inputs are made from, written once: a trained run, its ONNX and safetensors files,
/// a tokens file and a sweep spec.</summary>
public sealed class BadInputFixture : IDisposable
{
    public readonly TempFolder Folder = new();
    public string Run => Folder["run"];
    public string Onnx => Folder["model.onnx"];
    public string SafeTensors => Folder["model.safetensors"];
    public string Tokens => Folder["tokens.json"];
    public string Spec => Folder["grid.json"];

    public BadInputFixture()
    {
        foreach (var args in new[]
                 {
                     ["train", .. ForceFixture.Tiny, "--out", Run],
                     ["export", "--run", Run, "--out", Onnx],
                     new[] { "export", "--run", Run, "--out", SafeTensors, "--format", "safetensors" },
                 })
        {
            var (code, _, err) = MinrnnProcess.Run(args);
            Assert.True(code == 0, err);
        }
        File.WriteAllText(Tokens, "[[1, 2, 3, 4, 5, 0, 1, 2, 3, 4], [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]]");
        File.WriteAllText(Spec, """{"models": ["mingru"], "layers": [1], "seeds": [0], "seq_lens": [10], "tokens": [2], "preset": "quick", "train_args": ["--steps", "6"]}""");
    }

    public void Dispose() => Folder.Dispose();
}

/// <summary>One bad input: what to run in a fresh folder (given a way to copy and damage the fixture's files), the
/// exit code the README documents, and a word the one-line error must contain.</summary>
public sealed record BadInput(string Name, int Code, string Names, Func<BadInputCase, string[]> Args);

/// <summary>A bad input's folder: copies of the fixture's files, truncated or corrupted at offsets drawn from a seed
/// derived from the case's name (so a failure is reproducible).</summary>
public sealed class BadInputCase(BadInputFixture fixture, TempFolder folder, string name)
{
    private readonly Random random = new(name.Aggregate(17, (h, c) => h * 31 + c));

    public string this[string file] => folder[file];

    public string Run()
    {
        var to = folder["run"];
        if (!Directory.Exists(to))
            foreach (var file in Directory.GetFiles(fixture.Run, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(fixture.Run, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        return to;
    }

    public string Onnx() => Copy(fixture.Onnx);
    public string SafeTensors() => Copy(fixture.SafeTensors);
    public string Tokens() => Copy(fixture.Tokens);
    public string Spec() => Copy(fixture.Spec);

    private string Copy(string file)
    {
        var to = folder[Path.GetFileName(file)];
        File.Copy(file, to, overwrite: true);
        return to;
    }

    /// <summary>Keeps the first n bytes, n drawn in [0, length).</summary>
    public string Truncate(string path)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..random.Next(bytes.Length)]);
        return path;
    }

    /// <summary>Overwrites bytes at a random offset with garbage that no JSON, protobuf or header survives.</summary>
    public string Corrupt(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var garbage = Encoding.UTF8.GetBytes("\u0001}{\"\u00ff\u00fe");
        var at = random.Next(Math.Max(1, bytes.Length - garbage.Length));
        garbage.CopyTo(bytes.AsSpan(at, Math.Min(garbage.Length, bytes.Length - at)));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A folder that exists and holds a file of the user's, but no run.</summary>
    public string NotARun()
    {
        Directory.CreateDirectory(folder["not-a-run"]);
        File.WriteAllText(folder["not-a-run/notes.txt"], "not a run\n");
        return folder["not-a-run"];
    }

    /// <summary>A file whose 8-byte header length fits but whose header is not safetensors JSON.</summary>
    public string BadHeader(string file)
    {
        var header = Encoding.UTF8.GetBytes("{\"w\": [1, 2");
        File.WriteAllBytes(folder[file], [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);
        return folder[file];
    }

    public string Write(string file, string text)
    {
        File.WriteAllText(folder[file], text);
        return folder[file];
    }
}

/// <summary>Bad input over every command, files MinRnn reads truncated or corrupted at random offsets among them:
/// each gives one line naming the problem, the documented exit code (README), no stack trace, no internal error, and
/// leaves every file already written as it was.</summary>
public class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private static readonly string[] Cpu = ["--device", "cpu", "--threads", "1"];
    private static readonly string[] TinyTrain = ForceFixture.Tiny;

    /// <summary>TinyTrain without its --dim, for the --params cases.</summary>
    private static readonly string[] NoDim = [.. TinyTrain[..TinyTrain.AsSpan().IndexOf("--dim")], .. TinyTrain[(TinyTrain.AsSpan().IndexOf("--dim") + 2)..]];

    private static string Ckpt(string run, string file) => Path.Combine(run, "checkpoint", file);

    public static readonly BadInput[] Cases =
    [
        // train
        new("train-layers-0", 2, "--layers", c => ["train", .. TinyTrain, "--out", c["new"], "--layers", "0"]),
        new("train-steps-text", 2, "--steps", c => ["train", .. TinyTrain, "--out", c["new"], "--steps", "abc"]),
        new("train-model-unknown", 2, "--model", c => ["train", .. TinyTrain, "--out", c["new"], "--model", "rnn"]),
        new("train-option-unknown", 2, "--frobnicate", c => ["train", .. TinyTrain, "--out", c["new"], "--frobnicate", "1"]),
        new("train-device-unknown", 2, "--device", c => ["train", .. TinyTrain, "--out", c["new"], "--device", "tpu"]),
        new("train-out-holds-run", 2, "already holds a run", c => ["train", .. TinyTrain, "--out", c.Run()]),
        new("train-init-from-missing", 2, "--init-from", c => ["train", .. TinyTrain, "--out", c["new"], "--init-from", c["none.safetensors"]]),
        new("train-init-from-truncated", 2, "model.safetensors", c => ["train", .. TinyTrain, "--out", c["new"], "--init-from", c.Truncate(c.SafeTensors())]),
        new("train-init-from-corrupted", 2, "model.safetensors", c => ["train", .. TinyTrain, "--out", c["new"], "--init-from", c.Corrupt(c.SafeTensors())]),
        new("train-init-from-foreign", 2, "model.onnx", c => ["train", .. TinyTrain, "--out", c["new"], "--init-from", c.Onnx()]),
        new("train-init-from-bad-header", 2, "malformed safetensors header", c => ["train", .. TinyTrain, "--out", c["new"], "--init-from", c.BadHeader("w.safetensors")]),
        new("train-params-text", 2, "--params", c => ["train", .. NoDim, "--out", c["new"], "--params", "many"]),
        new("train-params-0", 2, "--params", c => ["train", .. NoDim, "--out", c["new"], "--params", "0"]),
        new("train-params-too-small", 2, "too small", c => ["train", .. NoDim, "--out", c["new"], "--params", "5"]),
        new("train-params-and-dim", 2, "--params", c => ["train", .. NoDim, "--out", c["new"], "--params", "100000", "--dim", "32"]),
        new("train-resume-and-force", 2, "--resume", c => ["train", "--out", c.Run(), "--resume", "--force"]),
        new("train-resume-model-truncated", 2, "model.bin", c => ["train", "--out", Ret(c.Run(), r => c.Truncate(Ckpt(r, "model.bin"))), "--resume", .. Cpu]),
        new("train-resume-optimizer-truncated", 2, "optimizer.bin", c => ["train", "--out", Ret(c.Run(), r => c.Truncate(Ckpt(r, "optimizer.bin"))), "--resume", .. Cpu]),
        new("train-resume-state-corrupted", 2, "state.json", c => ["train", "--out", Ret(c.Run(), r => c.Corrupt(Ckpt(r, "state.json"))), "--resume", .. Cpu]),
        new("train-resume-state-truncated", 2, "state.json", c => ["train", "--out", Ret(c.Run(), r => c.Truncate(Ckpt(r, "state.json"))), "--resume", .. Cpu]),
        new("train-resume-config-corrupted", 2, "config.json", c => ["train", "--out", Ret(c.Run(), r => c.Corrupt(Path.Combine(r, "config.json"))), "--resume", .. Cpu]),
        new("train-resume-metrics-corrupted", 2, "metrics.jsonl", c => ["train", "--out", Ret(c.Run(), r => c.Corrupt(Path.Combine(r, "metrics.jsonl"))), "--resume", .. Cpu]),
        new("train-resume-not-a-run", 2, "not a MinRnn run folder", c => ["train", "--out", c.NotARun(), "--resume", .. Cpu]),
        new("train-resume-missing", 2, "not a MinRnn run folder", c => ["train", "--out", c["none"], "--resume", .. Cpu]),
        // eval
        new("eval-run-missing", 2, "--run", c => ["eval", "--run", c["none"], .. Cpu]),
        new("eval-model-truncated", 2, "model.bin", c => ["eval", "--run", Ret(c.Run(), r => c.Truncate(Ckpt(r, "model.bin"))), .. Cpu]),
        new("eval-state-corrupted", 2, "state.json", c => ["eval", "--run", Ret(c.Run(), r => c.Corrupt(Ckpt(r, "state.json"))), .. Cpu]),
        new("eval-run-not-a-run", 2, "not a MinRnn run folder", c => ["eval", "--run", c.NotARun(), .. Cpu]),
        new("eval-config-foreign", 2, "config.json", c => ["eval", "--run", Ret(c.Run(), r => c.Write("run/config.json", "{\"name\": \"not minrnn\"}")), .. Cpu]),
        new("eval-checkpoint-missing", 2, "no checkpoint", c => ["eval", "--run", Ret(c.Run(), r => Directory.Delete(Path.Combine(r, "checkpoint"), true)), .. Cpu]),
        new("eval-seq-len-0", 2, "--seq-len", c => ["eval", "--run", c.Run(), "--seq-len", "0", .. Cpu]),
        new("eval-data-missing", 2, "--data", c => ["eval", "--run", c.Run(), "--data", c["none.txt"], .. Cpu]),
        // data
        new("data-task-unknown", 2, "nosuchtask", c => ["data", "nosuchtask", "--count", "4", "--out", c["d.jsonl"]]),
        new("data-count-0", 2, "--count", c => ["data", "selective-copy", "--count", "0", "--out", c["d.jsonl"]]),
        new("data-split-unknown", 2, "--split", c => ["data", "selective-copy", "--count", "4", "--split", "test", "--out", c["d.jsonl"]]),
        new("data-out-extension", 2, "--out", c => ["data", "selective-copy", "--count", "4", "--out", c["d.txt"]]),
        new("data-out-exists", 2, "--force", c => ["data", "selective-copy", "--count", "4", "--out", c.Write("d.jsonl", "old\n")]),
        // export
        new("export-model-truncated", 2, "model.bin", c => ["export", "--run", Ret(c.Run(), r => c.Truncate(Ckpt(r, "model.bin"))), "--out", c["m.onnx"]]),
        new("export-state-truncated", 2, "state.json", c => ["export", "--run", Ret(c.Run(), r => c.Truncate(Ckpt(r, "state.json"))), "--out", c["m.onnx"]]),
        new("export-run-not-a-run", 2, "not a MinRnn run folder", c => ["export", "--run", c.NotARun(), "--out", c["m.onnx"]]),
        new("export-format-unknown", 2, "--format", c => ["export", "--run", c.Run(), "--out", c["m.zip"], "--format", "zip"]),
        new("export-out-exists", 2, "--force", c => ["export", "--run", c.Run(), "--out", c.Write("m.onnx", "old")]),
        // predict
        new("predict-onnx-truncated", 2, "model.onnx", c => ["predict", "--onnx", c.Truncate(c.Onnx()), "--input", c.Tokens(), "--out", c["p.json"]]),
        new("predict-onnx-corrupted", 2, "model.onnx", c => ["predict", "--onnx", c.Corrupt(c.Onnx()), "--input", c.Tokens(), "--out", c["p.json"]]),
        new("predict-onnx-foreign", 2, "model.safetensors", c => ["predict", "--onnx", c.SafeTensors(), "--input", c.Tokens(), "--out", c["p.json"]]),
        new("predict-run-not-a-run", 2, "not a MinRnn run folder", c => ["predict", "--run", c.NotARun(), "--input", c.Tokens(), "--out", c["p.json"], .. Cpu]),
        new("predict-tokens-truncated", 2, "--input", c => ["predict", "--run", c.Run(), "--input", c.Truncate(c.Tokens()), "--out", c["p.json"], .. Cpu]),
        new("predict-tokens-corrupted", 2, "--input", c => ["predict", "--run", c.Run(), "--input", c.Corrupt(c.Tokens()), "--out", c["p.json"], .. Cpu]),
        new("predict-token-out-of-vocab", 2, "vocab", c => ["predict", "--run", c.Run(), "--input", c.Write("t.json", "[[1, 99]]"), "--out", c["p.json"], .. Cpu]),
        new("predict-model-truncated", 2, "model.bin", c => ["predict", "--run", Ret(c.Run(), r => c.Truncate(Ckpt(r, "model.bin"))), "--input", c.Tokens(), "--out", c["p.json"], .. Cpu]),
        new("predict-provider-unknown", 2, "--provider", c => ["predict", "--onnx", c.Onnx(), "--input", c.Tokens(), "--out", c["p.json"], "--provider", "tpu"]),
        // sweep
        new("sweep-spec-truncated", 2, "grid.json", c => ["sweep", "--out", c["s"], "--spec", c.Truncate(c.Spec())]),
        new("sweep-spec-corrupted", 2, "grid.json", c => ["sweep", "--out", c["s"], "--spec", c.Corrupt(c.Spec())]),
        new("sweep-spec-missing", 2, "--spec", c => ["sweep", "--out", c["s"], "--spec", c["none.json"]]),
        new("sweep-jobs-0", 2, "--jobs", c => ["sweep", "--out", c["s"], "--jobs", "0"]),
        new("sweep-manifest-corrupted", 2, "sweep.json",
            c => ["sweep", "--out", Ret(c["s"], s => { Directory.CreateDirectory(s); c.Write("s/sweep.json", "{\"grid\": [1,"); }), "--models", "mingru", "--dry-run"]),
        // compare
        new("compare-summary-truncated", 2, "summary.json", c => ["compare", "--runs", Ret(c.Run(), r => c.Truncate(Path.Combine(r, "summary.json"))), "--out", c["cmp"]]),
        new("compare-summary-corrupted", 2, "summary.json", c => ["compare", "--runs", Ret(c.Run(), r => c.Corrupt(Path.Combine(r, "summary.json"))), "--out", c["cmp"]]),
        new("compare-metrics-corrupted", 2, "metrics.jsonl", c => ["compare", "--runs", Ret(c.Run(), r => c.Corrupt(Path.Combine(r, "metrics.jsonl"))), "--out", c["cmp"]]),
        new("compare-runs-missing", 2, "--runs", c => ["compare", "--runs", c["none"], "--out", c["cmp"]]),
        new("compare-no-runs", 1, "no run", c => ["compare", "--runs", Ret(c["empty"], e => Directory.CreateDirectory(e)), "--out", c["cmp"]]),
        new("compare-by-unknown", 2, "--by", c => ["compare", "--runs", c.Run(), "--out", c["cmp"], "--by", "colour"]),
        // study
        new("study-layers-0", 2, "--layers", c => ["study", "--out", c["st"], "--layers", "0"]),
        new("study-lm-no-data", 2, "--data", c => ["study", "--out", c["st"], "--suite", "lm"]),
        new("study-seeds-text", 2, "--seeds", c => ["study", "--out", c["st"], "--seeds", "many"]),
        // explain
        new("explain-model-truncated", 2, "model.bin", c => ["explain", "--run", Ret(c.Run(), r => c.Truncate(Ckpt(r, "model.bin"))), "--out", c["ex"], .. Cpu]),
        new("explain-run-not-a-run", 2, "not a MinRnn run folder", c => ["explain", "--run", c.NotARun(), "--out", c["ex"], .. Cpu]),
        new("explain-method-unknown", 2, "--method", c => ["explain", "--run", c.Run(), "--out", c["ex"], "--method", "magic", .. Cpu]),
        new("explain-samples-negative", 2, "--samples", c => ["explain", "--run", c.Run(), "--out", c["ex"], "--samples", "-1", .. Cpu]),
        // bench
        new("bench-mode-unknown", 2, "frobnicate", c => ["bench", "frobnicate"]),
        new("bench-seq-lens-0", 2, "--seq-lens", c => ["bench", "train", "--seq-lens", "0"]),
        new("bench-mlnet-truncated", 2, "model.onnx", c => ["bench", "infer", "--mlnet",
            Ret(c["m"], m => { Directory.CreateDirectory(m); File.Move(c.Truncate(c.Onnx()), Path.Combine(m, "model.onnx")); }), "--mlnet-only", "--out", c["b"]]),
        new("bench-mlnet-missing", 2, "--mlnet", c => ["bench", "infer", "--mlnet", c["none"]]),
        // generate
        new("generate-not-char-lm", 2, "char-lm", c => ["generate", "--run", c.Run(), "--prompt", "ab", "--length", "5", .. Cpu]),
        new("generate-onnx-truncated", 2, "model.onnx", c => ["generate", "--onnx", c.Truncate(c.Onnx()), "--prompt", "ab", "--length", "5"]),
        new("generate-onnx-foreign", 2, "model.safetensors", c => ["generate", "--onnx", c.SafeTensors(), "--prompt", "ab", "--length", "5"]),
        new("generate-run-not-a-run", 2, "not a MinRnn run folder", c => ["generate", "--run", c.NotARun(), "--prompt", "ab", "--length", "5", .. Cpu]),
        new("generate-length-negative", 2, "--length", c => ["generate", "--run", c.Run(), "--prompt", "ab", "--length", "-1", .. Cpu]),
        // no command
        new("command-unknown", 2, "frobnicate", c => ["frobnicate"]),
    ];

    private static T Ret<T>(T value, Action<T> action)
    {
        action(value);
        return value;
    }

    public static TheoryData<string> Names() => [.. Cases.Select(c => c.Name)];

    [Fact]
    public void AtLeastFortyDistinctBadInputs() =>
        Assert.True(Cases.Select(c => c.Name).Distinct().Count() >= 40 && Cases.Length == Cases.Select(c => c.Name).Distinct().Count());

    [Theory]
    [MemberData(nameof(Names))]
    public void IsOneLineWithTheDocumentedCodeAndChangesNothing(string name)
    {
        var bad = Cases.Single(c => c.Name == name);
        using var folder = new TempFolder();
        var args = bad.Args(new BadInputCase(fixture, folder, name));
        var before = Snapshot(folder.Path);
        var (code, _, err) = MinrnnProcess.Run(args);
        var lines = err.Trim().Split('\n');
        Assert.True(code == bad.Code, $"exit {code} (expected {bad.Code}): {err}");
        Assert.StartsWith("minrnn", lines[^1]);
        Assert.True(lines.Length <= 2, $"more than one line (train prints its banner first): {err}");
        Assert.True(lines[^1].Contains(bad.Names, StringComparison.OrdinalIgnoreCase), $"'{bad.Names}' not named: {lines[^1]}");
        foreach (var forbidden in new[] { "   at ", "internal error", "Unhandled", "Exception:" })
            Assert.DoesNotContain(forbidden, err);
        Assert.Equal(before, Snapshot(folder.Path));
    }

    /// <summary>Path → SHA-256 of every file below a folder (new files are allowed only in the checks above).</summary>
    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
