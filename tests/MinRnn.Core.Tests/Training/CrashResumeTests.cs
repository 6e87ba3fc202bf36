using MinRnn.Runs;
using System.Security.Cryptography;
using MinRnn.Runtime;
using MinRnn.Tests.Cli;
using MinRnn.Training;

namespace MinRnn.Tests.Training;

/// <summary>The uninterrupted run every killed-and-resumed run must equal.</summary>
public sealed class UninterruptedRun : IDisposable
{
    public readonly TempFolder Folder = new();
    public string Run => Folder["run"];

    public UninterruptedRun()
    {
        var (code, _, err) = MinrnnProcess.Run(["train", .. CrashResumeTests.Tiny, "--out", Run]);
        Assert.True(code == 0, err);
    }

    public void Dispose() => Folder.Dispose();
}

/// <summary>`minrnn train` SIGKILLed at each phase of a checkpoint write (and of the metrics and summary writes), then
/// resumed: metrics.jsonl, summary.json's metrics and the final weights equal an uninterrupted run's, bit for bit.</summary>
public class CrashResumeTests(UninterruptedRun reference) : IClassFixture<UninterruptedRun>
{
    public static readonly string[] Tiny =
        ["--model", "mingru", "--layers", "1", "--dim", "8", "--seq-len", "10", "--tokens", "2", "--vocab", "6", "--steps", "40",
         "--batch", "8", "--eval-every", "5", "--checkpoint-every", "10", "--eval-size", "16", "--seed", "3", "--device", "cpu",
         "--threads", "1", "--quiet"];

    public static TheoryData<string> TestHookss() =>
    [
        .. Checkpoint.Phases.Select(p => $"{p}:20"),
        "checkpoint.model:10",                                          // before any complete checkpoint exists
        "checkpoint.old:40",
        "metrics.appended:25",
        "summary",
    ];

    [Theory]
    [MemberData(nameof(TestHookss))]
    public void KilledAtAnyPhaseResumesToTheSameRun(string killAt)
    {
        using var tmp = new TempFolder();
        var run = tmp["run"];
        var (code, _, err) = MinrnnProcess.Run(["train", .. Tiny, "--out", run], new Dictionary<string, string> { [TestHooks.KillVariable] = killAt });
        Assert.True(code == 137, $"not killed at {killAt} (exit {code}): {err}");
        Assert.False(File.Exists(Path.Combine(run, RunFiles.Summary)));

        (code, _, err) = MinrnnProcess.Run("train", "--out", run, "--resume", "--quiet", "--threads", "1");
        Assert.True(code == 0, err);

        AssertSameRun(reference.Run, run, $"a kill at {killAt}");
        Assert.False(Path.Exists(Path.Combine(run, Checkpoint.Folder + ".old")));
        Assert.False(Path.Exists(Path.Combine(run, Checkpoint.Folder + ".tmp")));
    }

    /// <summary>metrics.jsonl (but the wall-clock field), summary.json's metrics and the final weights' bytes of a resumed
    /// run equal the uninterrupted reference's.</summary>
    internal static void AssertSameRun(string reference, string run, string after)
    {
        Assert.Equal(Lines(reference), Lines(run));
        var (expected, actual) = (RunFiles.ReadSummary(reference), RunFiles.ReadSummary(run));
        Assert.Equal((expected.FinalLoss, expected.TestAccuracy, expected.TestSequenceAccuracy, expected.Steps, expected.Seed),
                     (actual.FinalLoss, actual.TestAccuracy, actual.TestSequenceAccuracy, actual.Steps, actual.Seed));
        foreach (var file in new[] { "model.bin", "optimizer.bin" })
            Assert.True(Hash(reference, file) == Hash(run, file), $"{file} differs after {after}");
    }

    /// <summary>metrics.jsonl without the wall-clock field, which no two runs share.</summary>
    private static List<MetricsLine> Lines(string run) => RunFiles.ReadMetrics(run).Select(m => m with { ElapsedS = 0 }).ToList();

    private static string Hash(string run, string file) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, Checkpoint.Folder, file))));
}
