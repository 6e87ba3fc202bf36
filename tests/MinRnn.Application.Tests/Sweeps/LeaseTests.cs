using System.Diagnostics;
using System.Text.Json;
using MinRnn.Sweeps;

namespace MinRnn.Tests.Sweeps;

/// <summary>Sweep leases (<see cref="RunLock"/>): another host's lease is honoured until it expires, a dead process's
/// lease on this host is stale at once, and of many workers taking over one expired lease exactly one wins. Expiry is
/// judged by the options' clock, which the first test moves instead of sleeping.</summary>
public class LeaseTests
{
    private static readonly LeaseOptions Here = new("node-b", TimeSpan.FromSeconds(30));

    private static void WriteLease(string runDir, int generation, Lease lease)
    {
        Directory.CreateDirectory(runDir);
        File.WriteAllText(RunLock.PathOf(runDir, generation), JsonSerializer.Serialize(lease, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    private static Lease Foreign(TimeSpan expiresIn) =>
        new("someone", "node-a", [new LeaseProcess(Environment.ProcessId, "whatever")], DateTimeOffset.UtcNow + expiresIn);

    /// <summary>A clock that stands still until moved.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void AnotherHostsLeaseIsHonouredUntilItExpires()
    {
        using var tmp = new TempFolder();
        var run = tmp["run"];
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var here = Here with { Clock = clock };
        WriteLease(run, 3, new("someone", "node-a", [new LeaseProcess(Environment.ProcessId, "whatever")], clock.Now + TimeSpan.FromSeconds(1.5)));
        Assert.True(RunLock.IsHeld(run, here));
        Assert.Null(RunLock.TryAcquire(run, here));
        clock.Now += TimeSpan.FromSeconds(1.4);
        Assert.True(RunLock.IsHeld(run, here));                                    // 0.1 s before it expires
        clock.Now += TimeSpan.FromSeconds(0.2);
        Assert.False(RunLock.IsHeld(run, here));
        using var claim = RunLock.TryAcquire(run, here);
        Assert.NotNull(claim);
        Assert.Equal(4, claim.Generation);
        Assert.False(File.Exists(RunLock.PathOf(run, 3)));                          // the expired lease is replaced
        Assert.True(RunLock.IsHeld(run, here));
        Assert.True(RunLock.IsHeld(run, here with { Host = "node-c" }));          // unexpired, seen from elsewhere
        var written = JsonSerializer.Deserialize<Lease>(File.ReadAllText(RunLock.PathOf(run, 4)), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(clock.Now + Here.Duration, written.Expires);                 // written by the options' clock
    }

    [Fact]
    public void ThisHostsLeaseOfAGoneProcessIsStaleAtOnce()
    {
        using var tmp = new TempFolder();
        var run = tmp["run"];
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        MinrnnProcess.WaitOrKill(gone, "true");
        WriteLease(run, 1, new Lease("dead", Here.Host, [new LeaseProcess(gone.Id, "0")], DateTimeOffset.UtcNow.AddHours(1)));
        Assert.False(RunLock.IsHeld(run, Here));
        // the same process id alive but started at another time (a reused id) does not hold it either
        WriteLease(run, 1, new Lease("reused", Here.Host, [new LeaseProcess(Environment.ProcessId, "0")], DateTimeOffset.UtcNow.AddHours(1)));
        Assert.False(RunLock.IsHeld(run, Here));
        using var claim = RunLock.TryAcquire(run, Here);
        Assert.NotNull(claim);
        Assert.Null(RunLock.TryAcquire(run, Here));                                // ours, alive: honoured
        claim.Dispose();
        Assert.False(RunLock.Exists(run));
    }

    [Fact]
    public void OfManyWorkersTakingOverOneExpiredLeaseExactlyOneWins()
    {
        using var tmp = new TempFolder();
        for (var round = 0; round < 20; round++)
        {
            var run = tmp[$"run{round}"];
            WriteLease(run, 1 + round, Foreign(TimeSpan.FromSeconds(-1)));
            var workers = 12;
            using var start = new Barrier(workers);
            var claims = new RunLock?[workers];
            var threads = Enumerable.Range(0, workers).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                // each thread is a worker of its own host, so none honours another's lease by process
                claims[i] = RunLock.TryAcquire(run, new LeaseOptions($"node-{i}", TimeSpan.FromSeconds(30)));
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            var winners = claims.Where(c => c is not null).ToList();
            Assert.Single(winners);
            Assert.Equal(new[] { $"{RunLock.PathOf(run, winners[0]!.Generation)}" },
                         Directory.GetFiles(run, ".lease.*"));                   // one lease file, the winner's
            winners[0]!.Dispose();
        }
    }

    [Fact]
    public void ALostLeaseIsNoticedAtRenewal()
    {
        using var tmp = new TempFolder();
        var run = tmp["run"];
        using var claim = RunLock.TryAcquire(run, Here with { Duration = TimeSpan.FromSeconds(0.6) })!;
        WriteLease(run, claim.Generation + 1, Foreign(TimeSpan.FromMinutes(1)));  // someone took it over
        Assert.True(claim.Lost.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
    }
}
