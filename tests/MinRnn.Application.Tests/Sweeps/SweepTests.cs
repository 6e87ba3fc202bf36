using System.Text.Json;

namespace MinRnn.Tests.Sweeps;

/// <summary>sweep/study as processes: resumable after a kill, shards sharing one folder, one-line errors.</summary>
public class SweepTests
{
    private static readonly string[] Tiny =
        ["--seq-lens", "10", "--tokens", "2", "--vocab", "6", "--dim", "8", "--batch", "8", "--eval-every", "10", "--eval-size", "16", "--device", "cpu"];

    private static string[] RunFolders(string dir) =>
        Directory.GetDirectories(dir).Select(Path.GetFileName).Order().ToArray()!;

    private static void AssertCompleteAndUnique(string dir, int expectedRuns, int steps)
    {
        var runs = RunFolders(dir);
        Assert.Equal(expectedRuns, runs.Length);
        foreach (var run in runs)
        {
            Assert.True(File.Exists(Path.Combine(dir, run, "summary.json")), run);
            var metricSteps = File.ReadLines(Path.Combine(dir, run, "metrics.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(1, steps / 10).Select(i => i * 10), metricSteps);   // no duplicate, no gap
            Assert.False(MinRnn.Sweeps.RunLock.Exists(Path.Combine(dir, run)), $"{run} still leased");
        }
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sweep.json")));
        Assert.All(manifest.RootElement.GetProperty("runs").EnumerateArray(), r => Assert.Equal("done", r.GetProperty("state").GetString()));
    }

    [Fact]
    public void KilledSweepCompletesOnRerunWithoutDuplicates()
    {
        using var tmp = new TempFolder();
        var dir = tmp["sweep"];
        string[] args = ["sweep", "--out", dir, "--models", "mingru,lstm", "--layers", "1", "--seeds", "2", "--steps", "60", "--checkpoint-every", "10", "--jobs", "1", .. Tiny];
        using (var p = MinrnnProcess.Start(args))
        {
            // kill the whole tree once the first run has finished and the second has a checkpoint
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline && !p.HasExited &&
                   (!Directory.Exists(dir) || Directory.GetFiles(dir, "state.json", SearchOption.AllDirectories).Length < 2))
                Thread.Sleep(20);
            p.Kill(entireProcessTree: true);
            MinrnnProcess.WaitOrKill(p, "killed sweep");
        }
        var (code, stdout, err) = MinrnnProcess.Run(args);
        Assert.True(code == 0, err);
        Assert.Contains("grid: 4/4 done", stdout);
        AssertCompleteAndUnique(dir, 4, 60);

        (code, stdout, _) = MinrnnProcess.Run(args);                           // nothing left to do
        Assert.Equal(0, code);
        Assert.Contains("0 trained", stdout);
    }

    [Fact]
    public async Task TwoShardsShareOneFolder()
    {
        using var tmp = new TempFolder();
        var dir = tmp["sweep"];
        string[] Shard(int i) => ["sweep", "--out", dir, "--models", "mingru,gru", "--layers", "1", "--seeds", "3", "--steps", "20", "--shard", $"{i}/2", "--threads", "1", .. Tiny];
        using var a = MinrnnProcess.Start(Shard(0));
        using var b = MinrnnProcess.Start(Shard(1));
        var (outA, outB) = (a.StandardOutput.ReadToEndAsync(), b.StandardOutput.ReadToEndAsync());
        await Task.WhenAll(a.StandardError.ReadToEndAsync(), b.StandardError.ReadToEndAsync(), MinrnnProcess.WaitOrKillAsync(a, "shard 0"), MinrnnProcess.WaitOrKillAsync(b, "shard 1"));
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        Assert.Contains("shard 0/2: 3 trained", await outA);                   // 6 runs, every 2nd each
        Assert.Contains("shard 1/2: 3 trained", await outB);
        AssertCompleteAndUnique(dir, 6, 20);
        foreach (var run in RunFolders(dir))                                    // each run trained exactly once
            Assert.Single(File.ReadLines(Path.Combine(dir, run, "train.log")), l => l.StartsWith("# minrnn train"));
    }

    [Fact]
    public void ShardsComeFromSlurmAndKubernetesEnvironments()
    {
        using var tmp = new TempFolder();
        var dir = tmp["sweep"];
        string[] grid = ["sweep", "--out", dir, "--models", "mingru,gru", "--layers", "1", "--seeds", "3", "--dry-run", .. Tiny];
        string[] Names(string stdout) => stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToArray();
        // the grid in order: mingru s0 s1 s2, gru s0 s1 s2 (model-major); shard 1 of 3 takes runs 1 and 4
        var slurm = MinrnnProcess.Run([.. grid], new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_COUNT"] = "3", ["SLURM_ARRAY_TASK_MIN"] = "1" });
        Assert.Equal(new[] { "mingru-L1-T10-K2-s1", "gru-L1-T10-K2-s1" }, Names(slurm.Out));
        var k8s = MinrnnProcess.Run([.. grid, "--shard-count", "3"], new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1" });
        Assert.Equal(Names(slurm.Out), Names(k8s.Out));
        var missing = MinrnnProcess.Run([.. grid], new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1" });
        Assert.Equal(2, missing.Code);
        Assert.Contains("--shard-count", missing.Err);
    }

    [Theory]
    [InlineData("--models mingru,rnn", "--models: 'rnn' is not one of")]
    [InlineData("--shard 2/2", "--shard: shard 2 of 2 is out of range")]
    [InlineData("--layers 0", "--layers: 0 is out of range")]
    [InlineData("--steps abc", "--steps: 'abc' is not an integer")]
    public void BadSweepInputIsOneLine(string options, string message)
    {
        using var tmp = new TempFolder();
        var dir = tmp["sweep"];
        var (code, _, err) = MinrnnProcess.Run(["sweep", "--out", dir, .. options.Split(' '), .. Tiny]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void StudyWritesTheReport()
    {
        using var tmp = new TempFolder();
        var dir = tmp["study"];
        var (code, stdout, err) = MinrnnProcess.Run(["study", "--out", dir, "--models", "mingru,gru", "--layers", "1,2", "--seeds", "2", "--steps", "20", .. Tiny]);
        Assert.True(code == 0, err);
        Assert.Contains("report.md", stdout);
        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report", "stats.json")));
        Assert.Equal(4, stats.RootElement.GetProperty("groups").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(dir, "report", "by_layers.png")));
    }

    [Fact]
    public async Task SweepRunsItsChildrenAlsoUnderTheApphost()
    {
        // `dotnet run` starts the apphost `minrnn`, not `dotnet minrnn.dll`: children must be started the same way
        using var tmp = new TempFolder();
        var dir = tmp["sweep"];
        var psi = new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "minrnn")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "sweep", "--out", dir, "--models", "mingru", "--layers", "1", "--seeds", "1", "--steps", "10" }.Concat(Tiny))
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await MinrnnProcess.WaitOrKillAsync(p, "minrnn sweep (apphost)");
        Assert.True(p.ExitCode == 0, await stderr);
        Assert.Contains("1 trained, 0 failed", await stdout);
    }
}
