using System.Text.Json;
using MinRnn.Sweeps;
using MinRnn.Training;

namespace MinRnn.Tests.Sweeps;

/// <summary>The sweep library without processes: grid expansion and run names, shards, the shard from a scheduler's
/// environment, the folder check, and a finished run's stale lease taken over.</summary>
public class SweepGridTests
{
    private static readonly SweepGrid Copy = new(["mingru", "gru"], [1, 2], [0, 1, 2], [64], [4], "quick", ["--steps", "10"]);

    [Fact]
    public void CopyGridExpandsModelsLayersLengthsTokensSeedsInOrder()
    {
        var runs = Copy.Runs();
        Assert.Equal(2 * 2 * 3, runs.Count);
        Assert.Equal(["mingru-L1-T64-K4-s0", "mingru-L1-T64-K4-s1", "mingru-L1-T64-K4-s2", "mingru-L2-T64-K4-s0"], runs.Take(4).Select(r => r.Name));
        Assert.Equal("gru-L2-T64-K4-s2", runs[^1].Name);
        Assert.Equal(["--model", "gru", "--layers", "2", "--seq-len", "64", "--tokens", "4", "--seed", "2", "--preset", "quick", "--steps", "10"], runs[^1].TrainArgs);
    }

    [Fact]
    public void TaskGridCrossesTaskOptionAxes()
    {
        var grid = new SweepGrid(["minlstm"], [1], [0, 1], [16, 32], [], "quick", [], ["parity", "majority"],
            new SortedDictionary<string, string[]>(StringComparer.Ordinal) { ["vocab"] = ["3", "5"] });
        var names = grid.Runs().Select(r => r.Name).ToList();
        Assert.Equal(2 * 2 * 2 * 2, names.Count);                       // tasks × seq_len × vocab × seeds
        Assert.Equal(["parity-minlstm-L1-T16-vocab3-s0", "parity-minlstm-L1-T16-vocab3-s1", "parity-minlstm-L1-T16-vocab5-s0"], names.Take(3));
        Assert.Equal("majority-minlstm-L1-T32-vocab5-s1", names[^1]);
        var last = grid.Runs()[^1];
        Assert.Equal((32, "majority"), (last.SeqLen, last.Task));
        Assert.Equal(["--task-opt", "seq_len=32", "--task-opt", "vocab=5"], last.TrainArgs.Skip(10).Take(4));
    }

    [Fact]
    public void ShardsPartitionTheRuns()
    {
        var shards = Enumerable.Range(0, 5).Select(i => Copy.Shard(i, 5)).ToList();
        Assert.Equal(Copy.Runs().Select(r => r.Name).Order(), shards.SelectMany(s => s).Select(r => r.Name).Order());
        Assert.Equal([Copy.Runs()[1].Name, Copy.Runs()[6].Name, Copy.Runs()[11].Name], shards[1].Select(r => r.Name));
    }

    [Theory]
    [InlineData("2/4", null, null, null, 2, 4)]
    [InlineData(null, "SLURM_ARRAY_TASK_ID=3,SLURM_ARRAY_TASK_COUNT=3,SLURM_ARRAY_TASK_MIN=1", null, null, 2, 3)]
    [InlineData(null, "JOB_COMPLETION_INDEX=1", 4, null, 1, 4)]
    [InlineData(null, "", null, null, 0, 1)]
    [InlineData("4/4", null, null, "--shard: shard 4 of 4 is out of range", 0, 0)]
    [InlineData("1-2", null, null, "--shard: '1-2' is not I/N", 0, 0)]
    [InlineData(null, "JOB_COMPLETION_INDEX=1", null, "pass --shard-count N", 0, 0)]
    public void ShardFromOptionOrEnvironment(string? option, string? environment, int? count, string? error, int index, int total)
    {
        var env = (environment ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(v => v[0], v => v[1]);
        SweepShard Resolve() => SweepShard.Resolve(option, count, env.GetValueOrDefault);
        if (error is not null)
            Assert.Contains(error, Assert.Throws<ArgumentException>(Resolve).Message);
        else
            Assert.Equal(new SweepShard(index, total), Resolve());
    }

    [Fact]
    public void InvalidGridsAreRefused()
    {
        Assert.Contains("every axis", Assert.Throws<ArgumentException>(() => (Copy with { Seeds = [] }).Validate()).Message);
        Assert.Contains("tasks must name tasks", Assert.Throws<ArgumentException>(() => (Copy with { Tasks = ["chess"] }).Validate()).Message);
        Copy.Validate();
    }

    [Fact]
    public void AFolderOfAnotherGridIsRefused()
    {
        using var tmp = new TempFolder();
        var runner = new SweepRunner(tmp.Path, Copy, jobs: 1, threadsPerJob: 1);
        runner.WriteManifest();
        SweepRunner.CheckFolder(tmp.Path, Copy);
        Assert.Contains("describes a different grid", Assert.Throws<ArgumentException>(() => SweepRunner.CheckFolder(tmp.Path, Copy with { Seeds = [7] })).Message);
    }

    /// <summary>A worker killed after its run finished leaves a lease behind: the next worker takes it over and lets
    /// it go, trains nothing, and the manifest says done.</summary>
    [Fact]
    public void AFinishedRunsStaleLeaseIsTakenOverAndReleased()
    {
        using var tmp = new TempFolder();
        var grid = Copy with { Models = ["mingru"], Layers = [1], Seeds = [0] };
        var run = tmp[grid.Runs()[0].Name];
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunFiles.Summary), "{}");
        var expired = new Lease("gone", "another-host", [new LeaseProcess(1, "long ago")], DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1));
        File.WriteAllText(RunLock.PathOf(run, 1), JsonSerializer.Serialize(expired, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var log = new List<string>();
        var runner = new SweepRunner(tmp.Path, grid, jobs: 1, threadsPerJob: 1);
        Assert.Equal((0, 0, 0), runner.Run(grid.Runs(), CancellationToken.None, log.Add));
        Assert.False(RunLock.Exists(run));
        Assert.Contains("1 already done, 0 to train", Assert.Single(log));
        using var manifest = JsonDocument.Parse(File.ReadAllText(tmp[SweepRunner.ManifestFile]));
        Assert.Equal("done", manifest.RootElement.GetProperty("runs")[0].GetProperty("state").GetString());
    }
}
