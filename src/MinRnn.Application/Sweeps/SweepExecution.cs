namespace MinRnn.Sweeps;

/// <summary>One shard of a grid trained, the sequence `minrnn sweep` and `minrnn study` share: the grid checked against
/// the folder, then the shard's runs trained in parallel jobs (SweepRunner), resumable.</summary>
public static class SweepExecution
{
    /// <summary>What a shard's run did, and the state of the whole grid after it.</summary>
    /// <param name="Trained">Runs of the shard this call trained to their summary.json.</param>
    /// <param name="Failed">Runs of the shard that failed (their train.log says why).</param>
    /// <param name="Busy">Runs of the shard another worker held.</param>
    /// <param name="GridDone">Runs of the whole grid with a summary.json.</param>
    /// <param name="GridRuns">Runs in the whole grid.</param>
    public sealed record Outcome(int Trained, int Failed, int Busy, int GridDone, int GridRuns)
    {
        /// <summary>The line `sweep` and `study` print when a shard is done.</summary>
        public string Line(SweepShard shard, string manifest) =>
            $"shard {shard.Index}/{shard.Count}: {Trained} trained, {Failed} failed, {Busy} held by another worker; grid: {GridDone}/{GridRuns} done → {manifest}";
    }

    /// <summary>The folder made and checked against the grid (a folder of another grid is refused before anything there
    /// changes) and the runner for it: `jobs` runs at a time, `threadsPerJob` threads each.</summary>
    public static SweepRunner Prepare(string outDir, SweepGrid grid, int jobs, int threadsPerJob)
    {
        grid.Validate();
        Directory.CreateDirectory(outDir);
        SweepRunner.CheckFolder(outDir, grid);
        return new SweepRunner(outDir, grid, jobs, threadsPerJob);
    }

    /// <summary>Trains the shard's runs; progress lines go to `log`.</summary>
    public static Outcome Run(SweepRunner runner, SweepGrid grid, SweepShard shard, CancellationToken cancel, Action<string> log)
    {
        var (trained, failed, busy) = runner.Run(grid.Shard(shard.Index, shard.Count), cancel, log);
        var states = grid.Runs().Select(r => runner.State(r.Name)).ToList();
        return new Outcome(trained, failed, busy, states.Count(s => s == "done"), states.Count);
    }
}
