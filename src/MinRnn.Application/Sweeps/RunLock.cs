using System.Diagnostics;
using System.Text.Json;
using MinRnn.Runtime;

namespace MinRnn.Sweeps;

/// <summary>Who may claim leases, and for how long: the host name (MINRNN_HOST, else the machine name) and the lease
/// duration (MINRNN_LEASE_SECONDS, else 60 s); a held lease is renewed every third of it. Clock (the system's by default)
/// tells the time that leases are written with and judged by, so a test can move it instead of waiting.</summary>
public sealed record LeaseOptions(string Host, TimeSpan Duration, TimeProvider? Clock = null)
{
    public DateTimeOffset Now => (Clock ?? TimeProvider.System).GetUtcNow();

    public const string HostVariable = "MINRNN_HOST";
    public const string SecondsVariable = "MINRNN_LEASE_SECONDS";

    public static LeaseOptions FromEnvironment()
    {
        var host = Environment.GetEnvironmentVariable(HostVariable) is { Length: > 0 } h ? h : Environment.MachineName;
        var seconds = Environment.GetEnvironmentVariable(SecondsVariable) is { Length: > 0 } s
            ? double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v
                : throw new ArgumentException($"{SecondsVariable}: '{s}' is not a positive number of seconds")
            : 60;
        return new LeaseOptions(host, TimeSpan.FromSeconds(seconds));
    }
}

/// <summary>A process that may hold a lease: its id and start time (boot id and start tick on Linux), so a reused
/// process id is not mistaken for the holder.</summary>
public sealed record LeaseProcess(int Pid, string Start);

/// <summary>One lease file's content: the holder's id, host and processes (the sweep worker, then also its training
/// child), and when it expires unless renewed.</summary>
public sealed record Lease(string Holder, string Host, List<LeaseProcess> Processes, DateTimeOffset Expires);

/// <summary>A run folder's claim, as a lease in `DIR/.lease.N` (generation N = 1, 2, …; the highest is the current one),
/// so two workers, shards or hosts writing into one folder never train the same run.
///
/// The current lease is honoured while it is unexpired; on the same host also while one of its processes lives, and
/// no longer once they are all gone (stale at once); a lease of another host only until it expires. A timer renews
/// the expiry while the holder lives. Taking a run over is a compare-and-swap: the new lease is written complete to a
/// temp file and published as generation N+1 with link(2), which fails when that name exists, so of two workers that
/// judged generation N stale only one wins; the winner then checks that no higher generation appeared (a worker
/// acting on an older listing) and only then removes the older generations. A lease is never deleted by anyone but
/// its holder, and the holder deletes it only while it is unexpired. A holder that finds a higher generation has lost
/// the run (<see cref="Lost"/>).</summary>
public sealed class RunLock : IDisposable
{
    private const string Prefix = ".lease.";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string dir;
    private readonly int generation;
    private readonly LeaseOptions options;
    private readonly CancellationTokenSource lost = new();
    private readonly object gate = new();
    private readonly Timer renewal;
    private Lease lease;
    private bool disposed;

    private RunLock(string dir, int generation, Lease lease, LeaseOptions options)
    {
        (this.dir, this.generation, this.lease, this.options) = (dir, generation, lease, options);
        var period = options.Duration / 3;
        renewal = new Timer(_ => Renew(), null, period, period);
    }

    public int Generation => generation;

    public string Host => options.Host;

    /// <summary>Cancelled when another worker has taken the run over (this lease expired unrenewed).</summary>
    public CancellationToken Lost => lost.Token;

    public static string PathOf(string runDir, int generation) => Path.Combine(runDir, $"{Prefix}{generation}");

    /// <summary>The lease, or null when another worker holds the run or won the race for it.</summary>
    public static RunLock? TryAcquire(string runDir, LeaseOptions? options = null)
    {
        options ??= LeaseOptions.FromEnvironment();
        Directory.CreateDirectory(runDir);
        var (top, current) = Current(runDir);
        if (current is not null && IsHonoured(current, options)) return null;
        var mine = new Lease(Guid.NewGuid().ToString("N"), options.Host, [Self()], options.Now + options.Duration);
        var temp = Path.Combine(runDir, $"{Prefix}{mine.Holder}.tmp");
        Write(temp, mine);
        if (!Durable.PublishExclusive(temp, PathOf(runDir, top + 1))) return null;
        if (Current(runDir).Generation != top + 1)                        // we acted on an older listing: step back
        {
            File.Delete(PathOf(runDir, top + 1));
            return null;
        }
        foreach (var older in Generations(runDir).Where(g => g <= top)) File.Delete(PathOf(runDir, older));
        return new RunLock(runDir, top + 1, mine, options);
    }

    /// <summary>True while a worker holds the run (see the class comment for when a lease is honoured).</summary>
    public static bool IsHeld(string runDir, LeaseOptions? options = null) =>
        Current(runDir).Lease is { } lease && IsHonoured(lease, options ?? LeaseOptions.FromEnvironment());

    /// <summary>The current lease as written (null when there is none or it is unreadable), honoured or not.</summary>
    public static Lease? Read(string runDir) => Current(runDir).Lease;

    /// <summary>Any lease file, honoured or not.</summary>
    public static bool Exists(string runDir) => Generations(runDir).Any();

    /// <summary>Adds the training child to the lease, so a run whose worker was killed but whose child still trains
    /// stays held on this host.</summary>
    public void Transfer(int pid)
    {
        lock (gate)
        {
            lease = lease with { Processes = [.. lease.Processes, new LeaseProcess(pid, ProcessStart(pid) ?? "")] };
            Publish();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            renewal.Dispose();
            // an expiring lease stays: a worker may be judging it stale right now and must find it unchanged
            if (!lost.IsCancellationRequested && options.Now < lease.Expires - options.Duration / 3)
                File.Delete(PathOf(dir, generation));
        }
    }

    private void Renew()
    {
        lock (gate)
        {
            if (disposed || lost.IsCancellationRequested) return;
            try
            {
                if (Current(dir).Generation != generation) { lost.Cancel(); return; }
                lease = lease with { Expires = options.Now + options.Duration };
                Publish();
            }
            catch (IOException) { }                                     // tried again at the next tick
        }
    }

    /// <summary>Rewrites this holder's own generation (no one else ever writes it).</summary>
    private void Publish()
    {
        var temp = Path.Combine(dir, $"{Prefix}{lease.Holder}.tmp");
        Write(temp, lease);
        File.Move(temp, PathOf(dir, generation), overwrite: true);
    }

    private static void Write(string path, Lease lease)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        JsonSerializer.Serialize(file, lease, Json);
        file.Flush(flushToDisk: true);
    }

    private static IEnumerable<int> Generations(string runDir)
    {
        if (!Directory.Exists(runDir)) yield break;
        foreach (var path in Directory.EnumerateFiles(runDir, Prefix + "*"))
            if (int.TryParse(Path.GetFileName(path)[Prefix.Length..], out var g) && g > 0) yield return g;
    }

    /// <summary>The highest generation and its lease (null when there is none, or it is unreadable: a foreign or
    /// damaged file, never half of ours, since ours are published complete).</summary>
    private static (int Generation, Lease? Lease) Current(string runDir)
    {
        var top = Generations(runDir).DefaultIfEmpty(0).Max();
        if (top == 0) return (0, null);
        try { return (top, JsonSerializer.Deserialize<Lease>(File.ReadAllText(PathOf(runDir, top)), Json)); }
        catch (Exception e) when (e is IOException or JsonException) { return (top, null); }
    }

    private static bool IsHonoured(Lease lease, LeaseOptions options) =>
        options.Now < lease.Expires && lease.Host != options.Host
        || lease.Host == options.Host && lease.Processes.Any(p => ProcessStart(p.Pid) is { } start && start == p.Start);

    private static LeaseProcess Self() => new(Environment.ProcessId, ProcessStart(Environment.ProcessId) ?? "");

    /// <summary>The start of a live process (not a zombie), or null when it is gone.</summary>
    private static string? ProcessStart(int pid)
    {
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')').Last().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[0] is "Z" or "X") return null;
                return $"{File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim()}:{fields[19]}";   // field 22, starttime
            }
            catch (IOException) { return null; }
        }
        try { using var p = Process.GetProcessById(pid); return p.HasExited ? null : p.StartTime.ToUniversalTime().Ticks.ToString(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return null; }
    }
}
