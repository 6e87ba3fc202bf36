using MinRnn.Runs;
using System.Diagnostics;
using System.Security.Cryptography;
using MinRnn.Tests.Cli;
using MinRnn.Training;

namespace MinRnn.Tests.Training;

/// <summary>The uninterrupted 200-step run, and how long its process took to start and to train.</summary>
public sealed class LongerUninterruptedRun : IDisposable
{
    public readonly TempFolder Folder = new();
    public string Run => Folder["run"];
    public readonly TimeSpan Startup, PerStep;

    public LongerUninterruptedRun()
    {
        var clock = Stopwatch.StartNew();
        var (code, _, err) = MinrnnProcess.Run(["train", .. RandomKillTests.Args, "--out", Run]);
        Assert.True(code == 0, err);
        var training = TimeSpan.FromSeconds(RunFiles.ReadMetrics(Run)[^1].ElapsedS);
        (Startup, PerStep) = (clock.Elapsed - training, training / RandomKillTests.Steps);
    }

    public void Dispose() => Folder.Dispose();
}

/// <summary>`minrnn train` SIGKILLed at 10 random moments (start-up, training, checkpoint writes alike) and resumed
/// each time: metrics.jsonl, summary.json's metrics and the final weights equal an uninterrupted run's, bit for bit.</summary>
public class RandomKillTests(LongerUninterruptedRun reference) : IClassFixture<LongerUninterruptedRun>
{
    public const int Steps = 200;

    public static readonly string[] Args =
        ["--model", "mingru", "--layers", "1", "--dim", "8", "--seq-len", "10", "--tokens", "2", "--vocab", "6", "--steps", $"{Steps}",
         "--batch", "8", "--eval-every", "10", "--checkpoint-every", "10", "--eval-size", "16", "--seed", "5", "--device", "cpu",
         "--threads", "1", "--quiet"];

    [Fact]
    public async Task KilledAtTenRandomMomentsResumesToTheSameRun()
    {
        const int seed = 1410;                                           // the kill schedule; reported on failure
        var random = new Random(seed);
        using var tmp = new TempFolder();
        var run = tmp["run"];
        var moments = new List<string>();
        while (moments.Count < 10)
        {
            // a moment in the remaining life of the process, estimated from the uninterrupted run
            var stepsLeft = Steps - 10 * (File.Exists(Path.Combine(run, RunFiles.Metrics)) ? File.ReadLines(Path.Combine(run, RunFiles.Metrics)).Count() : 0);
            var delay = random.NextDouble() * 0.6 * (reference.Startup + stepsLeft * reference.PerStep);
            using var p = MinrnnProcess.Start(Attempt(run));
            var (_, stderr) = (p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
            var ended = p.WaitForExit(delay);
            if (!ended) p.Kill(entireProcessTree: true);                // SIGKILL
            Assert.True(p.WaitForExit(MinrnnProcess.Timeout), "no exit after SIGKILL");
            if (ended)
            {
                // the machine ran faster than the uninterrupted run's timing predicted: the run is complete, so no
                // later kill can land; what it must have done is finish cleanly (the checks below still apply)
                Assert.True(p.ExitCode == 0, $"exit {p.ExitCode} before the kill after {delay.TotalSeconds:F2} s (seed {seed}): {await stderr}");
                break;
            }
            moments.Add($"{delay.TotalSeconds:F2} s");
        }
        Assert.NotEmpty(moments);
        Console.WriteLine($"killed at {string.Join(", ", moments)}");
        var (code, _, err) = MinrnnProcess.Run(Attempt(run));
        Assert.True(code == 0, $"resume after kills at {string.Join(", ", moments)} (seed {seed}): {err}");

        Assert.Equal(Lines(reference.Run), Lines(run));
        var (expected, actual) = (RunFiles.ReadSummary(reference.Run), RunFiles.ReadSummary(run));
        Assert.Equal((expected.FinalLoss, expected.TestAccuracy, expected.TestSequenceAccuracy, expected.Steps),
                     (actual.FinalLoss, actual.TestAccuracy, actual.TestSequenceAccuracy, actual.Steps));
        foreach (var file in new[] { "model.bin", "optimizer.bin" })
            Assert.True(Hash(reference.Run, file) == Hash(run, file), $"{file} differs after kills at {string.Join(", ", moments)}");
    }

    /// <summary>A fresh start until the run's config exists (a kill may come before it), then --resume.</summary>
    private static string[] Attempt(string run) => File.Exists(Path.Combine(run, RunFiles.Config))
        ? ["train", "--out", run, "--resume", "--quiet", "--threads", "1"]
        : ["train", .. Args, "--out", run, "--force"];

    private static List<MetricsLine> Lines(string run) => RunFiles.ReadMetrics(run).Select(m => m with { ElapsedS = 0 }).ToList();

    private static string Hash(string run, string file) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, Checkpoint.Folder, file))));
}
