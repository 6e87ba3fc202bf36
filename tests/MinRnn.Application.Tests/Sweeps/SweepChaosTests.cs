using System.Diagnostics;
using MinRnn.Sweeps;
using MinRnn.Training;

namespace MinRnn.Tests.Sweeps;

/// <summary>Sweeps under preemption, as processes: a killed host's lease expires and another host takes the run over;
/// two workers sharing one folder, SIGKILLed at random and restarted until the grid is done, train every run exactly
/// once, with results equal to an undisturbed sweep's.</summary>
public class SweepChaosTests
{
    private static readonly string[] Tiny =
        ["--layers", "1", "--seq-lens", "10", "--tokens", "2", "--vocab", "6", "--dim", "8", "--batch", "8",
         "--steps", "30", "--eval-every", "10", "--checkpoint-every", "10", "--eval-size", "16", "--device", "cpu", "--threads", "1"];

    private static Dictionary<string, string> Host(string name, double leaseSeconds) =>
        new() { [LeaseOptions.HostVariable] = name, [LeaseOptions.SecondsVariable] = $"{leaseSeconds}" };

    /// <summary>A sweep process whose output is drained (never blocks on a full pipe).</summary>
    private static Process Worker(string[] grid, IDictionary<string, string> environment)
    {
        var p = MinrnnProcess.Start(grid, environment);
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static string[] Starts(string run) =>
        File.Exists(Path.Combine(run, SweepRunner.StartsFile)) ? File.ReadAllLines(Path.Combine(run, SweepRunner.StartsFile)) : [];

    [Fact]
    public void AKilledHostsLeaseExpiresAndAnotherHostTakesTheRunOver()
    {
        using var tmp = new TempFolder();
        var dir = tmp["sweep"];
        var run = Path.Combine(dir, "mingru-L1-T10-K2-s0");
        // long enough (400 steps) that the kill after the first checkpoint lands while node-a still trains
        string[] grid = ["sweep", "--out", dir, "--models", "mingru", "--seeds", "1", .. Tiny.Select(a => a == "30" ? "400" : a)];
        using (var a = Worker(grid, Host("node-a", 4)))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!Checkpoint.Exists(run) && !a.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
            a.Kill(entireProcessTree: true);
            MinrnnProcess.WaitOrKill(a, "node-a");
        }
        Assert.False(File.Exists(Path.Combine(run, RunFiles.Summary)), "node-a finished before it was killed");
        Assert.True(RunLock.Exists(run));

        // node-a's processes are gone, but node-b cannot see them: it waits for the lease to expire
        var (code, stdout, err) = MinrnnProcess.Run(grid, Host("node-b", 4));
        Assert.True(code == 0, err);
        Assert.Contains("0 trained, 0 failed, 1 held by another worker", stdout);
        var expires = RunLock.Read(run)!.Expires;                            // wait for the expiry the lease states
        while (DateTimeOffset.UtcNow <= expires) Thread.Sleep(20);
        (code, stdout, err) = MinrnnProcess.Run(grid, Host("node-b", 4));
        Assert.True(code == 0, err);
        Assert.Contains("1 trained, 0 failed", stdout);
        Assert.Collection(Starts(run), l => Assert.Contains("host=node-a", l), l => Assert.Contains("host=node-b", l));
        Assert.False(RunLock.Exists(run));
    }

    [Fact]
    public void TwoWorkersKilledAtRandomTrainEveryRunExactlyOnce()
    {
        using var tmp = new TempFolder();
        var (calm, chaos) = (tmp["calm"], tmp["chaos"]);
        // 200 steps a run, so that kills every 1.5–3.5 s land while runs train (30 steps finish between kills)
        string[] Grid(string dir) => ["sweep", "--out", dir, "--models", "mingru,gru", "--seeds", "3", .. Tiny.Select(a => a == "30" ? "200" : a)];
        var (code, _, err) = MinrnnProcess.Run([.. Grid(calm), "--jobs", "2"]);
        Assert.True(code == 0, err);
        var runs = Directory.GetDirectories(calm).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(6, runs.Length);

        const int seed = 14;                                              // the kill schedule; reported on failure
        var random = new Random(seed);
        var workers = new Process?[2];
        var exited = new DateTime[2];
        var kills = 0;
        var clock = Stopwatch.StartNew();
        var nextKill = TimeSpan.FromSeconds(1.5 + 2 * random.NextDouble());
        bool Done() => runs.All(r => File.Exists(Path.Combine(chaos, r!, RunFiles.Summary)));
        try
        {
            while (!Done())
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(150), $"grid not done after {clock.Elapsed} (seed {seed}, {kills} kills)");
                for (var i = 0; i < workers.Length; i++)
                {
                    if (workers[i] is { HasExited: true } finished) { finished.Dispose(); workers[i] = null; exited[i] = DateTime.UtcNow; }
                    if (workers[i] is null && DateTime.UtcNow - exited[i] > TimeSpan.FromSeconds(0.5))
                        workers[i] = Worker(Grid(chaos), Host("node-x", 3));
                }
                if (clock.Elapsed >= nextKill && kills < 10 && workers[random.Next(2)] is { HasExited: false } victim)
                {
                    victim.Kill(entireProcessTree: true);                 // SIGKILL, the worker and its training child
                    kills++;
                    nextKill = clock.Elapsed + TimeSpan.FromSeconds(1.5 + 2 * random.NextDouble());
                }
                Thread.Sleep(50);
            }
        }
        finally
        {
            foreach (var w in workers.OfType<Process>())
            {
                if (!w.HasExited) w.Kill(entireProcessTree: true);
                w.WaitForExit(10_000);
                w.Dispose();
            }
        }

        var starts = runs.Select(r => Starts(Path.Combine(chaos, r!))).ToList();
        Assert.All(starts, s => Assert.NotEmpty(s));
        Assert.True(starts.Sum(s => s.Length) > runs.Length, $"no kill interrupted a run ({kills} kills, seed {seed}): the test proved nothing");
        foreach (var run in runs)
        {
            var (a, b) = (Path.Combine(calm, run!), Path.Combine(chaos, run!));
            // no duplicate, no missing line: every metrics line (but the wall clock) equals the undisturbed run's
            Assert.Equal(RunFiles.ReadMetrics(a).Select(m => m with { ElapsedS = 0 }), RunFiles.ReadMetrics(b).Select(m => m with { ElapsedS = 0 }));
            var (expected, actual) = (RunFiles.ReadSummary(a), RunFiles.ReadSummary(b));
            Assert.Equal((expected.TestAccuracy, expected.FinalLoss, expected.Steps), (actual.TestAccuracy, actual.FinalLoss, actual.Steps));
            // a killed worker's lease may stay, stale once its processes are gone (a SIGKILLed child takes a moment)
            Assert.True(SpinWait.SpinUntil(() => !RunLock.IsHeld(b), TimeSpan.FromSeconds(5)), $"{run} still held");
        }
    }
}
