using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MinRnn.Runtime;
using MinRnn.Training;

namespace MinRnn.Sweeps;

/// <summary>Runs one shard of a sweep grid: every run a `minrnn train` process of its own (a crash or a kill costs
/// one run at most), up to `jobs` at a time, each resumed from its checkpoint when it has one and skipped when its
/// summary.json exists. A run is claimed with a lease (<see cref="RunLock"/>); every start is appended to the run's
/// starts.log.</summary>
public sealed class SweepRunner(string outDir, SweepGrid grid, int jobs, int threadsPerJob)
{
    public const string ManifestFile = "sweep.json";
    public const string StartsFile = "starts.log";
    private readonly object manifestGate = new();

    /// <summary>Refuses a folder whose sweep.json holds another grid (or is no manifest), before anything there changes.</summary>
    public static void CheckFolder(string outDir, SweepGrid grid)
    {
        var manifest = Path.Combine(outDir, ManifestFile);
        if (!File.Exists(manifest)) return;
        SweepGrid? existing;
        try { existing = JsonSerializer.Deserialize<SweepManifest>(File.ReadAllText(manifest), SweepGrid.Json)?.Grid; }
        catch (JsonException e) { throw new BadFileException($"--out: {manifest} is not a sweep manifest ({e.Message.Split('\n')[0]}); nothing there was changed"); }
        if (existing is null || !existing.SameGridAs(grid))
            throw new ArgumentException($"--out: {manifest} describes a different grid; use another --out (nothing there was changed)");
    }

    public string State(string name)
    {
        var dir = Path.Combine(outDir, name);
        if (File.Exists(Path.Combine(dir, RunFiles.Summary))) return "done";
        if (RunLock.IsHeld(dir)) return "running";
        if (File.Exists(Path.Combine(dir, ".failed"))) return "failed";
        return Checkpoint.Exists(dir) ? "partial" : "pending";
    }

    /// <summary>Rewrites sweep.json from the run folders (atomic; safe with several shards writing).</summary>
    public void WriteManifest()
    {
        lock (manifestGate)
        {
            var entries = grid.Runs().Select(r => new SweepManifest.Entry(r.Name, r.Model, r.Layers, r.Seed, r.SeqLen, r.Tokens, State(r.Name), r.Task)).ToList();
            var temp = Path.Combine(outDir, $".{ManifestFile}.{Environment.MachineName}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temp, JsonSerializer.Serialize(new SweepManifest(RunFiles.Version, grid, entries), SweepGrid.Json));
            File.Move(temp, Path.Combine(outDir, ManifestFile), overwrite: true);
        }
    }

    /// <summary>Trains the runs not yet done; returns (done, failed, skipped because another worker holds them).</summary>
    public (int Done, int Failed, int Busy) Run(List<SweepRun> runs, CancellationToken cancel, Action<string> log)
    {
        int done = 0, failed = 0, busy = 0, started = 0;
        // a worker killed after its run finished leaves a stale lease: take it over (only if no one honours it) and let it go
        foreach (var r in runs.Where(r => State(r.Name) == "done" && RunLock.Exists(Path.Combine(outDir, r.Name))))
            RunLock.TryAcquire(Path.Combine(outDir, r.Name))?.Dispose();
        var todo = runs.Where(r => State(r.Name) != "done").ToList();
        log($"minrnn sweep: {runs.Count} runs in this shard, {runs.Count - todo.Count} already done, {todo.Count} to train with {jobs} job(s)");
        WriteManifest();
        // one run at a time to each job: the default partitioner hands out growing chunks, so near the end one job could hold
        // two runs in turn while the other stood idle (seen in the lm study: its last run waited 12 minutes on a free core)
        var queue = Partitioner.Create(todo, EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(queue, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancel }, run =>
        {
            var dir = Path.Combine(outDir, run.Name);
            using var claim = RunLock.TryAcquire(dir);
            if (claim is null || File.Exists(Path.Combine(dir, RunFiles.Summary))) { Interlocked.Increment(ref busy); return; }
            var n = Interlocked.Increment(ref started);
            log($"[{n}/{todo.Count}] {run.Name} …");
            var clock = Stopwatch.StartNew();
            var code = Train(run, dir, claim);
            if (claim.Lost.IsCancellationRequested)
            {
                Interlocked.Increment(ref busy);
                log($"[{n}/{todo.Count}] {run.Name}: lease lost to another worker, stopped");
                return;
            }
            if (code == 0)
            {
                File.Delete(Path.Combine(dir, ".failed"));
                Interlocked.Increment(ref done);
                var summary = RunFiles.ReadSummary(dir);
                log($"[{n}/{todo.Count}] {run.Name}: test_accuracy {summary.TestAccuracy:F4} in {clock.Elapsed.TotalSeconds:F0} s");
            }
            else
            {
                File.WriteAllText(Path.Combine(dir, ".failed"), $"exit code {code}\n");
                Interlocked.Increment(ref failed);
                log($"[{n}/{todo.Count}] {run.Name}: failed (exit {code}), see {Path.Combine(dir, "train.log")}");
            }
            WriteManifest();
        });
        WriteManifest();
        return (done, failed, busy);
    }

    private int Train(SweepRun run, string dir, RunLock claim)
    {
        var resume = File.Exists(Path.Combine(dir, RunFiles.Config)) || Checkpoint.Exists(dir);
        var args = new List<string> { "train" };
        args.AddRange(run.TrainArgs);
        args.AddRange(["--out", dir, "--threads", $"{threadsPerJob}"]);
        args.Add(resume ? "--resume" : "--force");          // --force: only the run's own files, when a first attempt died before its config
        using var log = new StreamWriter(Path.Combine(dir, "train.log"), append: true);
        log.WriteLine($"# minrnn {string.Join(' ', args)}");
        log.Flush();
        Durable.AppendLine(Path.Combine(dir, StartsFile), $"{DateTimeOffset.UtcNow:O} host={claim.Host} pid={Environment.ProcessId} lease={claim.Generation}");
        using var p = SelfProcess.Start(args, environment: new Dictionary<string, string> { [ParentDeath.Variable] = $"{Environment.ProcessId}" });
        claim.Transfer(p.Id);
        using var stop = claim.Lost.Register(() => { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.WaitForExit();
        return p.ExitCode;
    }
}
