using MinRnn.Runtime;
using MinRnn.Tests.Cli;
using MinRnn.Training;

namespace MinRnn.Tests.Training;

/// <summary>`train --force` over an existing run, SIGKILLed (TestHooks.Kill) while it trains in DIR/.force-new/ or while it
/// swaps itself in: the old run stays as it was until the swap, and `train --resume` continues the forced run (not the
/// old one) and swaps it in, ending bit for bit as the same run trained without interruption (CrashResumeTests' run).</summary>
public class ForceResumeTests(UninterruptedRun reference, ForceFixture old) : IClassFixture<UninterruptedRun>, IClassFixture<ForceFixture>
{
    public static TheoryData<string> TestHookss() =>
    [
        "checkpoint.done:20",                                          // mid-run, a complete checkpoint in .force-new/
        "checkpoint.model:10",                                         // before its first complete checkpoint
        "summary",                                                     // trained, before its summary and the swap
        "replace.old:0",                                               // swapping: one old file moved to .replaced/
        "replace.new:0",                                               // swapping: old files moved out, one new file in
    ];

    [Theory]
    [MemberData(nameof(TestHookss))]
    public void KilledForceRunIsResumedAndReplacesTheOldRun(string killAt)
    {
        using var tmp = new TempFolder();
        var run = ForceFixture.CopyOfRun(old.Run, tmp["run"]);
        var before = OldRun(run);
        var (code, _, err) = MinrnnProcess.Run(["train", .. CrashResumeTests.Tiny, "--out", run, "--force"],
            new Dictionary<string, string> { [TestHooks.KillVariable] = killAt });
        Assert.True(code == 137, $"not killed at {killAt} (exit {code}): {err}");
        if (!killAt.StartsWith("replace."))
            Assert.Equal(before, OldRun(run));   // the old run as it was until the swap

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
        var run = ForceFixture.CopyOfRun(old.Run, tmp["run"]);
        var aside = Path.Combine(run, RunFolder.ForceFolder);
        string[] force = ["train", .. CrashResumeTests.Tiny, "--out", run, "--force"];
        var (code, _, err) = MinrnnProcess.Run(force, new Dictionary<string, string> { [TestHooks.KillVariable] = "checkpoint.done:20" });
        Assert.True(code == 137, err);
        Assert.Equal(20, Checkpoint.ReadState(aside).Step);

        (code, _, err) = MinrnnProcess.Run(force, new Dictionary<string, string> { [TestHooks.KillVariable] = "checkpoint.model:10" });
        Assert.True(code == 137, err);
        Assert.Contains($"discarding the interrupted --force run in {aside}", err);
        Assert.False(Checkpoint.Exists(aside), "the first forced run's step-20 checkpoint survived a second --force");

        (code, _, err) = MinrnnProcess.Run("train", "--out", run, "--resume", "--quiet", "--threads", "1");
        Assert.True(code == 0, err);
        AssertIsTheReferenceRun(run, "a second --force");
    }

    private void AssertIsTheReferenceRun(string run, string after)
    {
        CrashResumeTests.AssertSameRun(reference.Run, run, after);
        Assert.False(Path.Exists(Path.Combine(run, RunFolder.ForceFolder)));
        Assert.False(Path.Exists(Path.Combine(run, RunFiles.ReplacedFolder)));
    }

    /// <summary>The old run's files: everything but the forced run's folder.</summary>
    private static Dictionary<string, string> OldRun(string run) =>
        ForceFixture.Snapshot(run).Where(f => !f.Key.StartsWith(RunFolder.ForceFolder + Path.DirectorySeparatorChar)).ToDictionary();
}
