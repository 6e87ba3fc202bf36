using MinRnn.Studies;
using MinRnn.Sweeps;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn sweep: a grid of `minrnn train` runs, resumable, in parallel jobs, and sharded across machines.</summary>
public static class SweepCommand
{
    public static readonly string Usage = $"""
        minrnn sweep --out DIR [--models {UsageText.Kinds()}] [--layers 1,2,3] [--seeds 5 | --seeds 0,1,2]
                     [--seq-lens 64] [--tokens 4] [--preset quick|paper] | --spec grid.json
                     [--tasks a,b,… | --suite formal | --suite lm --data FILE [--eval-data FILE]] [--task-opt KEY=V1,V2]…
                     (tasks: each with its quick preset; --suite {LmStudyFiles.Suite}: {MinRnn.Tasks.CharLm.TaskName} with the {MinRnn.Training.LmPreset.Name} preset, docs/LM.md)
                     [--jobs N] [--threads N] [--shard I/N | --shard-count N] [--dry-run]
                     [--steps --batch --lr --weight-decay --clip --warmup --schedule --dim --params --expansion --scan
                      --eval-every --eval-size --checkpoint-every --device --data --eval-data
                      and the file tasks' own options, e.g. --vocab-from, --target, --horizon (train --help)]   (passed to every run)
            one folder per run (DIR/MODEL-L<layers>-T<seq_len>-K<tokens>-s<seed>; with tasks DIR/TASK-MODEL-L<layers>[-T<seq_len>]-s<seed>)
            and DIR/sweep.json (grid and states);
            runs with a summary.json are skipped, interrupted runs resume from their checkpoint.
            Shards: --shard I/N, or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or Kubernetes JOB_COMPLETION_INDEX
            with --shard-count N (the Job's completions) — each shard runs every N-th run, starting at I.
        """;

    public static readonly OptionSet Options = new(["--out", "--models", "--layers", "--seeds", "--seq-lens", "--tokens", "--preset", "--spec", "--jobs",
            "--threads", "--shard", "--shard-count", .. GridArgs.TaskOptions, .. GridArgs.PassThrough], ["--dry-run"], [TaskArgs.TaskOpt]);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var outDir = args.Required("--out");
        if (args.Has("--spec") && GridArgs.GridOptions.FirstOrDefault(args.Has) is { } both)
            throw new UsageException($"{both}: give the grid either in --spec or as options, not both");
        var grid = args.String("--spec") is { } spec ? SweepGrid.Read(spec) : GridArgs.Grid(args, defaultSeeds: 5);
        var shard = SweepShard.Resolve(args.String("--shard"), args.Has("--shard-count") ? args.Int("--shard-count", 1, 1) : null);
        return Execute(outDir, grid, shard, args.Int("--jobs", 1, 1, 64), args.String("--threads"), args.Flag("--dry-run"));
    }

    /// <summary>Checks the grid and every run's arguments, writes sweep.json, trains this shard's runs (or lists them).</summary>
    private static int Execute(string outDir, SweepGrid grid, SweepShard shard, int jobs, string? threads, bool dryRun)
    {
        GridArgs.CheckRuns(grid);
        var runner = SweepExecution.Prepare(outDir, grid, jobs, GridArgs.ThreadsPerJob(threads, jobs));
        if (dryRun)
        {
            foreach (var r in grid.Shard(shard.Index, shard.Count))
                Console.WriteLine($"{r.Name}\t{runner.State(r.Name)}\tminrnn train {string.Join(' ', r.TrainArgs)} --out {Path.Combine(outDir, r.Name)}");
            return 0;
        }
        var outcome = SweepExecution.Run(runner, grid, shard, Common.CancelOnCtrlC(), Console.Error.WriteLine);
        Console.WriteLine(outcome.Line(shard, Path.Combine(outDir, SweepRunner.ManifestFile)));
        return outcome.Failed > 0 ? 1 : 0;
    }
}
