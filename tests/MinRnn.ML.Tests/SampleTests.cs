using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MinRnn.ML.Tests;

/// <summary>The samples run as a user runs them (`dotnet run --project samples/… --no-build`; this project builds them
/// first) and print what they promise, so they cannot rot.</summary>
public class SampleTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static (int ExitCode, string Output) Run(string sample, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["run", "--project", Path.Combine("samples", sample), "-c", Configuration, "--no-build", "--", .. args])
            start.ArgumentList.Add(a);
        return Finish(start, sample);
    }

    /// <summary>The minrnn command as built beside the tests (this project builds it first).</summary>
    internal static (int ExitCode, string Output) Minrnn(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Path.Combine(Repo.Root, "src", "MinRnn.Cli", "bin", Configuration, "net10.0", "minrnn.dll"), .. args])
            start.ArgumentList.Add(a);
        return Finish(start, "minrnn " + args[0]);
    }

    /// <summary>Starts the process and reads its output while waiting at most <paramref name="minutes"/> (2 unless
    /// told); then it is killed and the test fails.</summary>
    internal static (int ExitCode, string Output) Finish(ProcessStartInfo start, string what, int minutes = 2)
    {
        using var process = Process.Start(start)!;
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        if (!process.WaitForExit(TimeSpan.FromMinutes(minutes))) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{what}: no exit within {minutes} min (killed)"); }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static double TokenAccuracy(string output, string label) =>
        double.Parse(Regex.Match(output, $@"^{label}: \d+ rows, token accuracy ([0-9.]+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

    private static string Digest(string output, string label) =>
        Regex.Match(output, $@"^{label}: .*outputs sha256 ([0-9A-F]+)", RegexOptions.Multiline).Groups[1].Value;

    [Fact]
    public void PipelineSampleScoresSavesAndReloadsInAFreshProcess()
    {
        var zip = Path.Combine(Path.GetTempPath(), $"minrnn-ml-test-{Guid.NewGuid():N}.zip");
        try
        {
            var (code, output) = Run("MinRnn.Samples.Pipeline", "--save", zip);
            Assert.True(code == 0, output);
            Assert.True(TokenAccuracy(output, "accuracy") >= 0.95, output);
            Assert.Contains("reloaded pipeline gives identical outputs: yes", output);
            Assert.Matches(@"PredictionEngine, one example: target [0-9 ]+, predicted [0-9 ]+", output);

            var (reloadCode, reloaded) = Run("MinRnn.Samples.Pipeline", "--load", zip);
            Assert.True(reloadCode == 0, reloaded);
            Assert.Equal(Digest(output, "accuracy"), Digest(reloaded, "accuracy"));
            Assert.NotEmpty(Digest(reloaded, "accuracy"));
        }
        finally { File.Delete(zip); }
    }

    [Fact]
    public void PipelineSampleGpuPathSaysWhichProviderRuns()
    {
        var (code, output) = Run("MinRnn.Samples.Pipeline", "--gpu");
        Assert.True(code == 0, output);
        Assert.Matches(@"provider: (Cuda|Cpu \(CUDA is not available: the CUDA execution provider cannot run on device 0 .*\))", output);
        Assert.True(TokenAccuracy(output, "accuracy") >= 0.95, output);
        Assert.DoesNotContain("[E:onnxruntime", output);
    }

    [Fact]
    public void StreamingSampleEqualsTheWholeSequenceForEveryShippedModel()
    {
        var (code, output) = Run("MinRnn.Samples.Streaming");
        Assert.True(code == 0, output);
        foreach (var cell in Repo.Cells)
            Assert.Matches(new System.Text.RegularExpressions.Regex($@"^{cell}: \d+ tokens one at a time .* predictions identical", System.Text.RegularExpressions.RegexOptions.Multiline), output);
        Assert.Contains("streaming equals whole-sequence: yes", output);
        Assert.DoesNotContain("onnxruntime", output);
    }

    [Fact]
    public void TextClassificationSampleEvaluatesSavesAndReloads()
    {
        var (code, output) = Run("MinRnn.Samples.TextClassification");
        Assert.True(code == 0, output);
        Assert.Contains("model: mingru-languages.onnx, mingru × 2, vocabulary 31, task classify, classes [\"english\",\"french\",\"german\",\"spanish\"]", output);
        Assert.Contains("label key (order of occurrence): [german, english, french, spanish]; Score slots: [german, english, french, spanish]", output);
        var accuracy = Regex.Match(output, @"^evaluation: 80 rows, micro accuracy ([0-9.]+), macro accuracy ([0-9.]+)", RegexOptions.Multiline);
        Assert.True(accuracy.Success, output);
        Assert.True(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture) >= 0.9, output);
        Assert.Matches(@"reloaded pipeline gives identical predictions and scores: yes; micro accuracy " + Regex.Escape(accuracy.Groups[1].Value), output);
        Assert.Contains("PredictionEngine: \"The little dog and the cat are in the garden.\" → english", output);
        Assert.DoesNotContain("onnxruntime", output);
    }

    [Fact]
    public void TextGenerationSampleEqualsMinrnnGenerateOnTheShippedCharModel()
    {
        var model = Path.Combine(Repo.Root, "models", "char", "mingru-kjv.onnx");
        var (sampleText, cliText) = (Path.GetTempFileName(), Path.GetTempFileName());
        try
        {
            const string prompt = "And the LORD said unto Moses, ";
            var (code, output) = Run("MinRnn.Samples.TextGeneration", "--model", model, "--prompt", prompt, "--length", "400", "--out", sampleText);
            Assert.True(code == 0, output);
            Assert.Contains("mingru-kjv.onnx: mingru × 2, vocabulary", output);
            Assert.Contains("prompt + 400 greedy characters (ONNX Runtime, state carried):", output);

            // the reference: MinRnn's own generator (Core's greedy sampler over MinRnn.Onnx's state-carrying stream)
            var (cliCode, cliOutput) = Minrnn("generate", "--onnx", model, "--prompt", prompt, "--length", "400", "--temperature", "0", "--out", cliText);
            Assert.True(cliCode == 0, cliOutput);

            var expected = File.ReadAllText(cliText);
            Assert.StartsWith(prompt, expected);
            Assert.Equal(prompt.Length + 400, expected.Length);             // the alphabet is ASCII: one char per character
            Assert.Equal(expected, File.ReadAllText(sampleText));
            Assert.DoesNotContain('\uFFFD', expected);                      // a trained model never picks "unknown"
        }
        finally { File.Delete(sampleText); File.Delete(cliText); }
    }
}
