using System.Globalization;

namespace MinRnn.Sweeps;

/// <summary>Which part of a grid this worker runs: shard `Index` of `Count` takes every Count-th run, starting at Index
/// (<see cref="SweepGrid.Shard"/>).</summary>
public sealed record SweepShard(int Index, int Count)
{
    public static readonly SweepShard Whole = new(0, 1);

    /// <summary>The shard of `--shard I/N` when given, else of the scheduler's environment: Slurm's
    /// SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (less SLURM_ARRAY_TASK_MIN, arrays may start at 1), or Kubernetes'
    /// JOB_COMPLETION_INDEX with `shardCount` (the Job's completions, --shard-count); else the whole grid.</summary>
    public static SweepShard Resolve(string? shard, int? shardCount, Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        if (shard is not null)
        {
            var parts = shard.Split('/');
            return parts.Length == 2 && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n)
                ? Checked(i, n, "--shard") : throw new ArgumentException($"--shard: '{shard}' is not I/N");
        }
        if (env("SLURM_ARRAY_TASK_ID") is { } sid && env("SLURM_ARRAY_TASK_COUNT") is { } scount)
        {
            var min = int.TryParse(env("SLURM_ARRAY_TASK_MIN"), out var m) ? m : 0;
            return Checked(int.Parse(sid, CultureInfo.InvariantCulture) - min, int.Parse(scount, CultureInfo.InvariantCulture), "SLURM_ARRAY_TASK_ID");
        }
        if (env("JOB_COMPLETION_INDEX") is { } kid)
        {
            if (shardCount is not { } count) throw new ArgumentException("JOB_COMPLETION_INDEX is set: pass --shard-count N (the Job's completions)");
            return Checked(int.Parse(kid, CultureInfo.InvariantCulture), count, "JOB_COMPLETION_INDEX");
        }
        return Whole;
    }

    private static SweepShard Checked(int index, int count, string source) =>
        count >= 1 && index >= 0 && index < count ? new(index, count) : throw new ArgumentException($"{source}: shard {index} of {count} is out of range");
}
