using System.Security.Cryptography;
using MinRnn.Runtime;
using MinRnn.Tests.Cli;
using MinRnn.Training;

namespace MinRnn.Tests.Training;

/// <summary>`train --force` over an existing run, SIGKILLed (KillPoint) while it trains in DIR/.force-new/ or while it
/// swaps itself in: the old run stays as it was until the swap, and `train --resume` continues the forced run (not the
/// old one) and swaps it in, ending bit for bit as the same run trained without interruption (CrashResumeTests' run).</summary>
public class ForceResumeTests(UninterruptedRun reference, ForceFixture old) : IClassFixture<UninterruptedRun>, IClassFixture<ForceFixture>
{
    public static TheoryData<string> KillPoints() =>
    [
        "checkpoint.done:20",                                          // mid-run, a complete checkpoint in .force-new/
        "checkpoint.model:10",                                         // before its first complete checkpoint
        "summary",                                                     // trained, before its summary and the swap
        "replace.old:0",                                               // swapping: one old file moved to .replaced/
        "replace.new:0",                                               // swapping: old files moved out, one new file in
    ];

    [Theory]
    [MemberData(nameof(KillPoints))]
    public void KilledForceRunIsResumedAndReplacesTheOldRun(string killAt)
    {
        using var tmp = new TempFolder();
        var run = CopyOf(old.Run, tmp["run"]);
        var before = Snapshot(run);
        var (code, _, err) = MinrnnProcess.Run(["train", .. CrashResumeTests.Tiny, "--out", run, "--force"],
            new Dictionary<string, string> { [KillPoint.Variable] = killAt });
        Assert.True(code == 137, $"not killed at {killAt} (exit {code}): {err}");
        if (!killAt.StartsWith("replace."))
            Assert.Equal(before, Snapshot(run, without: RunFolder.ForceFolder));   // the old run as it was until the swap

        (code, _, err) = MinrnnProcess.Run("train", "--out", run, "--resume", "--quiet", "--threads", "1");
        Assert.True(code == 0, err);
        if (killAt != "replace.new:0")                                 // there .force-new/ has lost its config.json to DIR
            Assert.Contains($"resuming the interrupted --force run in {Path.Combine(run, RunFolder.ForceFolder)}", err);
        AssertIsTheReferenceRun(run, killAt);
    }

    /// <summary>A second --force while an interrupted forced run waits in .force-new/ starts over (its checkpoint is
    /// gone when the new one is killed before its first), says so, and is itself resumable.</summary>
    [Fact]
    public void SecondForceDiscardsTheInterruptedForcedRun()
    {
        using var tmp = new TempFolder();
        var run = CopyOf(old.Run, tmp["run"]);
        var aside = Path.Combine(run, RunFolder.ForceFolder);
        string[] force = ["train", .. CrashResumeTests.Tiny, "--out", run, "--force"];
        var (code, _, err) = MinrnnProcess.Run(force, new Dictionary<string, string> { [KillPoint.Variable] = "checkpoint.done:20" });
        Assert.True(code == 137, err);
        Assert.Equal(20, Checkpoint.ReadState(aside).Step);

        (code, _, err) = MinrnnProcess.Run(force, new Dictionary<string, string> { [KillPoint.Variable] = "checkpoint.model:10" });
        Assert.True(code == 137, err);
        Assert.Contains($"discarding the interrupted --force run in {aside}", err);
        Assert.False(Checkpoint.Exists(aside), "the first forced run's step-20 checkpoint survived a second --force");

        (code, _, err) = MinrnnProcess.Run("train", "--out", run, "--resume", "--quiet", "--threads", "1");
        Assert.True(code == 0, err);
        AssertIsTheReferenceRun(run, "a second --force");
    }

    private void AssertIsTheReferenceRun(string run, string after)
    {
        Assert.Equal(Lines(reference.Run), Lines(run));
        var (expected, actual) = (RunFiles.ReadSummary(reference.Run), RunFiles.ReadSummary(run));
        Assert.Equal((expected.FinalLoss, expected.TestAccuracy, expected.Steps, expected.Seed),
                     (actual.FinalLoss, actual.TestAccuracy, actual.Steps, actual.Seed));
        foreach (var file in new[] { "model.bin", "optimizer.bin" })
            Assert.True(Hash(reference.Run, file) == Hash(run, file), $"{file} differs after {after}");
        Assert.False(Path.Exists(Path.Combine(run, RunFolder.ForceFolder)));
        Assert.False(Path.Exists(Path.Combine(run, RunFiles.ReplacedFolder)));
    }

    private static string CopyOf(string run, string to)
    {
        foreach (var file in Directory.GetFiles(run, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(run, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return to;
    }

    /// <summary>Path → SHA-256 of every file below a folder, leaving out one subfolder.</summary>
    private static Dictionary<string, string> Snapshot(string dir, string? without = null) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => without is null || !Path.GetRelativePath(dir, f).StartsWith(without + Path.DirectorySeparatorChar))
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static List<MetricsLine> Lines(string run) => RunFiles.ReadMetrics(run).Select(m => m with { ElapsedS = 0 }).ToList();

    private static string Hash(string run, string file) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, Checkpoint.Folder, file))));
}
