using System.Text.Json;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>A tiny char-lm run (minGRU with a conv, so the conv state is carried too) and its ONNX export.</summary>
public sealed class CharRun : IDisposable
{
    private readonly TempFolder folder = new();

    public CharRun()
    {
        Dir = folder.Path;
        (Run, Onnx, Text) = (Path.Combine(Dir, "run"), Path.Combine(Dir, "char.onnx"), Path.Combine(Dir, "text.txt"));
        var random = new Random(5);
        string[] words = ["the cat", "sat on", "a mat", "and the dog", "ran"];
        File.WriteAllText(Text, string.Join(' ', Enumerable.Range(0, 800).Select(_ => words[random.Next(words.Length)])) + "\n");
        var (code, stdout, err) = Minrnn.Run("train", "--task", "char-lm", "--data", Text, "--seq-len", "24", "--model", "mingru", "--layers", "1",
            "--dim", "16", "--conv", "3", "--steps", "60", "--batch", "16", "--lr", "0.01", "--eval-every", "60", "--eval-size", "32",
            "--device", "cpu", "--quiet", "--out", Run);
        if (code != 0) throw new InvalidOperationException($"train failed: {err}{stdout}");
        (code, _, err) = Minrnn.Run("export", "--run", Run, "--out", Onnx);
        if (code != 0) throw new InvalidOperationException($"export failed: {err}");
    }

    public string Dir { get; }
    public string Run { get; }
    public string Onnx { get; }
    public string Text { get; }

    public void Dispose() => folder.Dispose();
}

/// <summary>minrnn generate: TorchSharp (--run) and ONNX Runtime (--onnx) stream the same text, greedy and sampled
/// with one seed; char-lm's bits per character in train and eval; bad input is one line, exit 2, nothing written.</summary>
public class GenerateCliTests(CharRun run) : IClassFixture<CharRun>
{
    private static string Generate(params string[] args)
    {
        var (code, stdout, err) = Minrnn.Run(["generate", .. args]);
        Assert.True(code == 0, err + stdout);
        return stdout;
    }

    [Theory]
    [InlineData("0", null)]
    [InlineData("1", null)]
    [InlineData("0.8", "4")]
    public void RunAndOnnxGenerateTheSameText(string temperature, string? topK)
    {
        string[] common = ["--prompt", "the ", "--length", "200", "--temperature", temperature, "--seed", "7", .. topK is null ? [] : new[] { "--top-k", topK }];
        var torch = Generate(["--run", run.Run, "--device", "cpu", .. common]);
        var onnx = Generate(["--onnx", run.Onnx, .. common]);
        Assert.Equal(201, torch.TrimEnd('\n').Length + 1);
        Assert.Equal(torch, onnx);
        if (temperature != "0")
            Assert.NotEqual(torch, Generate(["--run", run.Run, "--device", "cpu", .. common[..^(topK is null ? 0 : 2)].Select(a => a == "7" ? "8" : a)]));
    }

    [Fact]
    public void OutFileHoldsPromptAndTextAndUnknownPromptCharactersWarnOnce()
    {
        using var tmp = new TempFolder();
        var path = tmp["out.txt"];
        var (code, stdout, err) = Minrnn.Run("generate", "--onnx", run.Onnx, "--prompt", "the ZZ", "--length", "50", "--out", path);
        Assert.True(code == 0, err);
        Assert.Equal("", stdout);
        Assert.Single(err.Split('\n'), l => l.Contains("warning"));
        Assert.Contains("2 prompt character(s)", err);
        Assert.StartsWith("the ZZ", File.ReadAllText(path));
        Assert.Equal(56, File.ReadAllText(path).Length);
    }

    [Fact]
    public void TrainAndEvalReportBitsPerCharacter()
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Run, "summary.json")));
        var loss = summary.RootElement.GetProperty("final_loss").GetDouble();
        Assert.Equal(loss / Math.Log(2), summary.RootElement.GetProperty("test_bpc").GetDouble(), 1e-9);
        var (code, stdout, err) = Minrnn.Run("eval", "--run", run.Run, "--data", run.Text, "--device", "cpu");
        Assert.True(code == 0, err);
        Assert.Contains("bpc", stdout);
        using var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Run, "eval-T24-text.json")));
        Assert.Equal(eval.RootElement.GetProperty("loss").GetDouble() / Math.Log(2), eval.RootElement.GetProperty("bpc").GetDouble(), 1e-9);
    }

    public static TheoryData<string, string> BadGenerate => new()
    {
        { "--length 0", "--length" },
        { "--length 5 --temperature -1", "--temperature" },
        { "--length 5 --top-k 0", "--top-k" },
        { "--length 5 --prompt=", "--prompt" },
    };

    [Theory]
    [MemberData(nameof(BadGenerate))]
    public void BadGenerateInputIsOneLineExitTwoAndWritesNothing(string options, string option)
    {
        using var tmp = new TempFolder();
        var path = tmp["out.txt"];
        string[] prompt = options.Contains("--prompt") ? [] : ["--prompt", "the"];
        var (code, stdout, err) = Minrnn.Run(["generate", "--onnx", run.Onnx, "--out", path, .. prompt, .. options.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(option, err);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void GenerateOnANonLanguageModelAndBadTextFilesAreBadInput()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var copy = Path.Combine(dir, "copy");
        var (code, _, err) = Minrnn.Run([.. "train".Split(' '), .. Minrnn.TinyTrain("mingru"), "--out", copy]);
        Assert.True(code == 0, err);
        (code, _, err) = Minrnn.Run("generate", "--run", copy, "--prompt", "a", "--length", "3");
        Assert.Equal(2, code);
        Assert.Contains("not a language model", err);

        var binary = Path.Combine(dir, "bad.txt");
        File.WriteAllBytes(binary, [0x61, 0xFF, 0x62]);
        foreach (var (file, message) in new[] { (binary, "not valid UTF-8"), (Path.Combine(dir, "none.txt"), "does not exist") })
        {
            var target = Path.Combine(dir, "never");
            (code, _, err) = Minrnn.Run("train", "--task", "char-lm", "--data", file, "--model", "mingru", "--out", target);
            Assert.Equal(2, code);
            Assert.StartsWith("minrnn train: --data: ", err);
            Assert.Contains(message, err);
            Assert.False(Directory.Exists(target));
        }
        (code, _, err) = Minrnn.Run("train", "--task", "char-lm", "--model", "mingru", "--out", Path.Combine(dir, "never"));
        Assert.Equal(2, code);
        Assert.Contains("--data: required", err);
    }
}
