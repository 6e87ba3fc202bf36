using MinRnn.Studies;
using MinRnn.Cells;
using MinRnn.Cli.Reports;
using System.Globalization;
using MinRnn.Sweeps;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn sweep: a grid of `minrnn train` runs, resumable, in parallel jobs, and sharded across machines.</summary>
public static class SweepCommand
{
    public static readonly string Usage = $"""
        minrnn sweep --out DIR [--models {UsageText.Kinds()}] [--layers 1,2,3] [--seeds 5 | --seeds 0,1,2]
                     [--seq-lens 64] [--tokens 4] [--preset quick|paper] | --spec grid.json
                     [--tasks a,b,… | --suite formal | --suite lm --data FILE [--eval-data FILE]] [--task-opt KEY=V1,V2]…
                     (tasks: each with its quick preset; --suite lm: char-lm with the lm preset, docs/LM.md)
                     [--jobs N] [--threads N] [--shard I/N | --shard-count N] [--dry-run]
                     [--steps --batch --lr --weight-decay --clip --warmup --schedule --dim --params --expansion --scan
                      --eval-every --eval-size --checkpoint-every --device --data --eval-data
                      and the file tasks' own options: --vocab-from, forecast's --target --horizon …]   (passed to every run)
            one folder per run (DIR/MODEL-L<layers>-T<seq_len>-K<tokens>-s<seed>; with tasks DIR/TASK-MODEL-L<layers>[-T<seq_len>]-s<seed>)
            and DIR/sweep.json (grid and states);
            runs with a summary.json are skipped, interrupted runs resume from their checkpoint.
            Shards: --shard I/N, or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or Kubernetes JOB_COMPLETION_INDEX
            with --shard-count N (the Job's completions) — each shard runs every N-th run, starting at I.
        """;

    public static readonly string[] PassThrough =
        ["--steps", "--batch", "--lr", "--weight-decay", "--clip", "--warmup", "--schedule", "--dim", "--params", "--expansion", "--scan",
         "--eval-every", "--eval-size", "--checkpoint-every", "--device", "--vocab", .. TaskArgs.FileOptions];

    /// <summary>Pass-through options naming files: passed as full paths, so every run reads the same file.</summary>
    private static readonly string[] FileOptions = ["--data", "--eval-data", "--vocab-from"];

    /// <summary>The options that choose tasks for a grid.</summary>
    public static readonly string[] TaskOptions = ["--tasks", "--suite"];

    private static readonly string[] GridOptions = ["--models", "--layers", "--seeds", "--seq-lens", "--tokens", "--preset", TaskArgs.TaskOpt, .. TaskOptions, .. PassThrough];

    public static readonly OptionSet Options = new(["--out", "--models", "--layers", "--seeds", "--seq-lens", "--tokens", "--preset", "--spec", "--jobs",
            "--threads", "--shard", "--shard-count", .. TaskOptions, .. PassThrough], ["--dry-run"], [TaskArgs.TaskOpt]);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var outDir = args.Required("--out");
        if (args.Has("--spec") && GridOptions.FirstOrDefault(args.Has) is { } both)
            throw new UsageException($"{both}: give the grid either in --spec or as options, not both");
        var grid = args.String("--spec") is { } spec ? SweepGrid.Read(spec) : GridFromArgs(args, defaultSeeds: 5);
        var shard = SweepShard.Resolve(args.String("--shard"), args.Has("--shard-count") ? args.Int("--shard-count", 1, 1) : null);
        return Execute(outDir, grid, shard, args.Int("--jobs", 1, 1, 64), args.String("--threads"), args.Flag("--dry-run"));
    }

    /// <summary>Checks the grid, writes sweep.json, trains this shard's runs; shared with `minrnn study`.</summary>
    public static int Execute(string outDir, SweepGrid grid, SweepShard shard, int jobs, string? threads, bool dryRun)
    {
        grid.Validate();
        foreach (var r in grid.Runs())                  // every run's arguments parse as `minrnn train` parses them
            TrainCommand.FromArgs(new Args([.. r.TrainArgs, "--out", "x"], TrainCommand.Options)).Validate();
        Directory.CreateDirectory(outDir);
        SweepRunner.CheckFolder(outDir, grid);
        var perJob = threads is null ? Math.Max(1, Environment.ProcessorCount / jobs)
            : int.TryParse(threads, out var t) && t >= 1 ? t : throw new UsageException($"--threads: '{threads}' is not a positive integer");
        var runner = new SweepRunner(outDir, grid, jobs, perJob);
        var runs = grid.Shard(shard.Index, shard.Count);
        if (dryRun)
        {
            foreach (var r in runs) Console.WriteLine($"{r.Name}\t{runner.State(r.Name)}\tminrnn train {string.Join(' ', r.TrainArgs)} --out {Path.Combine(outDir, r.Name)}");
            return 0;
        }
        var (done, failed, busy) = runner.Run(runs, Common.CancelOnCtrlC(), Console.Error.WriteLine);
        var all = grid.Runs().Select(r => runner.State(r.Name)).ToList();
        Console.WriteLine($"shard {shard.Index}/{shard.Count}: {done} trained, {failed} failed, {busy} held by another worker; " +
                          $"grid: {all.Count(s => s == "done")}/{all.Count} done → {Path.Combine(outDir, SweepRunner.ManifestFile)}");
        return failed > 0 ? 1 : 0;
    }

    public static SweepGrid GridFromArgs(Args args, int defaultSeeds, string defaultLayers = "1,2,3")
    {
        var lm = args.String("--suite") == LmStudyFiles.Suite;
        if (lm && !args.Has("--data")) throw new UsageException($"--data: --suite {LmStudyFiles.Suite} needs the text to model (a UTF-8 file)");
        var preset = args.Choice("--preset", lm ? LmPreset.Name : "quick", Presets.Names);
        var seeds = args.String("--seeds") is { } s && s.Contains(',')
            ? Ints(args, "--seeds", "").Select(x => (long)x).ToArray()
            : Enumerable.Range(0, args.Int("--seeds", defaultSeeds, 1, 10_000)).Select(x => (long)x).ToArray();
        var passThrough = PassThrough.Where(args.Has).SelectMany(o => new[] { o, FileOptions.Contains(o) ? Path.GetFullPath(args.String(o)!) : args.String(o)! }).ToArray();
        var models = args.Names("--models", string.Join(",", CellKinds.Names), CellKinds.Names).ToArray();
        var layers = Ints(args, "--layers", defaultLayers);
        if (Tasks(args) is { } tasks)
        {
            if (args.Has("--tokens")) throw new UsageException("--tokens: with --tasks/--suite give task options as --task-opt tokens=…");
            var options = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var (key, values) in TaskArgs.Settings(args.Strings(TaskArgs.TaskOpt)))
                options[key.Replace('-', '_')] = values.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
            return new SweepGrid(models, layers, seeds, Ints(args, "--seq-lens", ""), [], preset, passThrough, tasks, options.Count > 0 ? options : null);
        }
        if (args.Has(TaskArgs.TaskOpt)) throw new UsageException($"{TaskArgs.TaskOpt}: needs --tasks or --suite");
        var task = (SelectiveCopying)Presets.Get(preset).Task;
        return new SweepGrid(models, layers, seeds, Ints(args, "--seq-lens", task.SeqLen.ToString(CultureInfo.InvariantCulture)),
            Ints(args, "--tokens", task.Tokens.ToString(CultureInfo.InvariantCulture)), preset, passThrough);
    }

    /// <summary>--tasks a,b or --suite NAME: the task names, checked; null when neither is given.</summary>
    public static string[]? Tasks(Args args)
    {
        if (args.Has("--tasks") && args.Has("--suite")) throw new UsageException("--tasks and --suite exclude each other");
        if (args.String("--suite") is { } suite)
            return suite == LmStudyFiles.Suite ? [CharLm.TaskName]
                : TaskRegistry.Suite(suite).ToArray() is { Length: > 0 } names ? names
                : throw new UsageException($"--suite: '{suite}' is not one of {TaskRegistry.FormalSuite}|{LmStudyFiles.Suite}");
        return args.Has("--tasks") ? args.Names("--tasks", "", TaskRegistry.Names.ToList()).ToArray() : null;
    }

    private static int[] Ints(Args args, string option, string fallback) => args.Ints(option, fallback, 0).Distinct().ToArray();
}
