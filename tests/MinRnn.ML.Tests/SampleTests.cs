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
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(entireProcessTree: true); throw new TimeoutException(sample); }
        return (process.ExitCode, stdout + stderr.Result);
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
}
