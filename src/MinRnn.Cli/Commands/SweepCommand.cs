using MinRnn.Cells;
using System.Globalization;
using System.Text.Json;
using MinRnn.Cli.Sweep;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn sweep: a grid of `minrnn train` runs, resumable, in parallel jobs, and sharded across machines.</summary>
public static class SweepCommand
{
    public const string Usage = """
        minrnn sweep --out DIR [--models mingru,minlstm,gru,lstm] [--layers 1,2,3] [--seeds 5 | --seeds 0,1,2]
                     [--seq-lens 64] [--tokens 4] [--preset quick|paper] | --spec grid.json
                     [--tasks a,b,… | --suite formal] [--task-opt KEY=V1,V2]…   (tasks: each with its quick preset)
                     [--jobs N] [--threads N] [--shard I/N | --shard-count N] [--dry-run]
                     [--steps --batch --lr --weight-decay --clip --warmup --schedule --dim --expansion --scan
                      --eval-every --eval-size --checkpoint-every --device]   (passed to every run)
            one folder per run (DIR/MODEL-L<layers>-T<seq_len>-K<tokens>-s<seed>; with tasks DIR/TASK-MODEL-L<layers>[-T<seq_len>]-s<seed>)
            and DIR/sweep.json (grid and states);
            runs with a summary.json are skipped, interrupted runs resume from their checkpoint.
            Shards: --shard I/N, or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or Kubernetes JOB_COMPLETION_INDEX
            with --shard-count N (the Job's completions) — each shard runs every N-th run, starting at I.
        """;

    public static readonly string[] PassThrough =
        ["--steps", "--batch", "--lr", "--weight-decay", "--clip", "--warmup", "--schedule", "--dim", "--expansion", "--scan",
         "--eval-every", "--eval-size", "--checkpoint-every", "--device", "--vocab"];

    /// <summary>The options that choose tasks for a grid.</summary>
    public static readonly string[] TaskOptions = ["--tasks", "--suite"];

    public static int Run(string[] argv)
    {
        var args = new Args(argv, ["--out", "--models", "--layers", "--seeds", "--seq-lens", "--tokens", "--preset", "--spec", "--jobs",
            "--threads", "--shard", "--shard-count", .. TaskOptions, .. PassThrough], ["--dry-run"], [TaskArgs.TaskOpt]);
        var outDir = args.Required("--out");
        var grid = args.String("--spec") is { } spec ? ReadSpec(spec, args) : GridFromArgs(args, defaultSeeds: 5);
        var (index, count) = Shard(args);
        return Execute(outDir, grid, index, count, args.Int("--jobs", 1, 1, 64), args.String("--threads"), args.Flag("--dry-run"));
    }

    /// <summary>Checks the grid, writes sweep.json, trains this shard's runs; shared with `minrnn study`.</summary>
    public static int Execute(string outDir, SweepGrid grid, int index, int count, int jobs, string? threads, bool dryRun)
    {
        Validate(grid);
        Directory.CreateDirectory(outDir);
        var manifest = Path.Combine(outDir, SweepRunner.ManifestFile);
        if (File.Exists(manifest))
        {
            SweepGrid? existing;
            try { existing = JsonSerializer.Deserialize<SweepManifest>(File.ReadAllText(manifest), SweepGrid.Json)?.Grid; }
            catch (JsonException e) { throw new InvalidDataException($"--out: {manifest} is not a sweep manifest ({e.Message.Split('\n')[0]}); nothing there was changed"); }
            if (existing is null || !existing.SameGridAs(grid))
                throw new UsageException($"--out: {manifest} describes a different grid; use another --out (nothing there was changed)");
        }
        var perJob = threads is null ? Math.Max(1, Environment.ProcessorCount / jobs)
            : int.TryParse(threads, out var t) && t >= 1 ? t : throw new UsageException($"--threads: '{threads}' is not a positive integer");
        var runner = new SweepRunner(outDir, grid, jobs, perJob);
        var runs = grid.Shard(index, count);
        if (dryRun)
        {
            foreach (var r in runs) Console.WriteLine($"{r.Name}\t{runner.State(r.Name)}\tminrnn train {string.Join(' ', r.TrainArgs)} --out {Path.Combine(outDir, r.Name)}");
            return 0;
        }
        var (done, failed, busy) = runner.Run(runs, Common.CancelOnCtrlC());
        var all = grid.Runs().Select(r => runner.State(r.Name)).ToList();
        Console.WriteLine($"shard {index}/{count}: {done} trained, {failed} failed, {busy} held by another worker; " +
                          $"grid: {all.Count(s => s == "done")}/{all.Count} done → {Path.Combine(outDir, SweepRunner.ManifestFile)}");
        return failed > 0 ? 1 : 0;
    }

    public static SweepGrid GridFromArgs(Args args, int defaultSeeds, string defaultLayers = "1,2,3")
    {
        var preset = args.Choice("--preset", "quick", Presets.Names);
        var task = (SelectiveCopying)Presets.Get(preset).Task;
        var seeds = args.String("--seeds") is { } s && s.Contains(',')
            ? Ints("--seeds", s).Select(x => (long)x).ToArray()
            : Enumerable.Range(0, args.Int("--seeds", defaultSeeds, 1, 10_000)).Select(x => (long)x).ToArray();
        var passThrough = PassThrough.Where(args.Has).SelectMany(o => new[] { o, args.String(o)! }).ToArray();
        if (Tasks(args) is { } tasks)
        {
            if (args.Has("--tokens")) throw new UsageException("--tokens: with --tasks/--suite give task options as --task-opt tokens=…");
            var options = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var (key, values) in TaskArgs.Settings(args.Strings(TaskArgs.TaskOpt)))
                options[key.Replace('-', '_')] = values.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
            return new SweepGrid(Names(args.String("--models") ?? string.Join(",", CellKinds.Names)), Ints("--layers", args.String("--layers") ?? defaultLayers), seeds,
                args.String("--seq-lens") is { } lens ? Ints("--seq-lens", lens) : [], [], preset, passThrough, tasks, options.Count > 0 ? options : null);
        }
        if (args.Has(TaskArgs.TaskOpt)) throw new UsageException($"{TaskArgs.TaskOpt}: needs --tasks or --suite");
        return new SweepGrid(
            Names(args.String("--models") ?? string.Join(",", CellKinds.Names)),
            Ints("--layers", args.String("--layers") ?? defaultLayers),
            seeds,
            Ints("--seq-lens", args.String("--seq-lens") ?? task.SeqLen.ToString(CultureInfo.InvariantCulture)),
            Ints("--tokens", args.String("--tokens") ?? task.Tokens.ToString(CultureInfo.InvariantCulture)),
            preset, passThrough);
    }

    /// <summary>--tasks a,b or --suite NAME: the task names, checked; null when neither is given.</summary>
    public static string[]? Tasks(Args args)
    {
        if (args.Has("--tasks") && args.Has("--suite")) throw new UsageException("--tasks and --suite exclude each other");
        if (args.String("--suite") is { } suite)
            return TaskRegistry.Suite(suite).ToArray() is { Length: > 0 } names ? names
                : throw new UsageException($"--suite: '{suite}' is not one of {TaskRegistry.FormalSuite}");
        return args.String("--tasks")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => TaskRegistry.Names.Contains(t) ? t : throw new UsageException($"--tasks: '{t}' is not one of {string.Join("|", TaskRegistry.Names)}"))
            .Distinct().ToArray();
    }

    private static SweepGrid ReadSpec(string path, Args args)
    {
        string[] gridOptions = ["--models", "--layers", "--seeds", "--seq-lens", "--tokens", "--preset", TaskArgs.TaskOpt, .. TaskOptions, .. PassThrough];
        if (gridOptions.FirstOrDefault(args.Has) is { } both)
            throw new UsageException($"{both}: give the grid either in --spec or as options, not both");
        if (!File.Exists(path)) throw new UsageException($"--spec: {path} does not exist");
        try
        {
            return JsonSerializer.Deserialize<SweepGrid>(File.ReadAllText(path), SweepGrid.Json) ?? throw new UsageException($"--spec: {path} is empty");
        }
        catch (JsonException e) { throw new UsageException($"--spec: {path}: {e.Message.Split('\n')[0]}"); }
    }

    /// <summary>Every run's arguments parse as `minrnn train` would parse them, before anything starts.</summary>
    private static void Validate(SweepGrid g)
    {
        if (g.Models is null || g.Layers is null || g.Seeds is null || g.SeqLens is null || g.Tokens is null || g.Preset is null || g.TrainArgs is null)
            throw new UsageException("grid: models, layers, seeds, seq_lens, tokens, preset and train_args are all required");
        if (g.Models.Length == 0 || g.Layers.Length == 0 || g.Seeds.Length == 0 || (g.Tasks is null && (g.SeqLens.Length == 0 || g.Tokens.Length == 0)))
            throw new UsageException("grid: every axis needs at least one value");
        if (g.Tasks is { } tasks && (tasks.Length == 0 || tasks.Any(t => !TaskRegistry.Names.Contains(t))))
            throw new UsageException($"grid: tasks must name tasks of this version ({string.Join("|", TaskRegistry.Names)})");
        foreach (var r in g.Runs())
            TrainCommand.FromArgs(new Args([.. r.TrainArgs, "--out", "x"], TrainCommand.ValueOptions, TrainCommand.FlagOptions, TrainCommand.Repeatable)).Validate();
    }

    private static (int Index, int Count) Shard(Args args)
    {
        static (int, int) Check(int i, int n, string source) =>
            n >= 1 && i >= 0 && i < n ? (i, n) : throw new UsageException($"{source}: shard {i} of {n} is out of range");
        if (args.String("--shard") is { } s)
        {
            var parts = s.Split('/');
            return parts.Length == 2 && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n)
                ? Check(i, n, "--shard") : throw new UsageException($"--shard: '{s}' is not I/N");
        }
        static string? env(string name) => Environment.GetEnvironmentVariable(name);
        if (env("SLURM_ARRAY_TASK_ID") is { } sid && env("SLURM_ARRAY_TASK_COUNT") is { } scount)
        {
            var min = int.TryParse(env("SLURM_ARRAY_TASK_MIN"), out var m) ? m : 0;   // arrays may start at 1
            return Check(int.Parse(sid, CultureInfo.InvariantCulture) - min, int.Parse(scount, CultureInfo.InvariantCulture), "SLURM_ARRAY_TASK_ID");
        }
        if (env("JOB_COMPLETION_INDEX") is { } kid)
        {
            if (!args.Has("--shard-count")) throw new UsageException("JOB_COMPLETION_INDEX is set: pass --shard-count N (the Job's completions)");
            return Check(int.Parse(kid, CultureInfo.InvariantCulture), args.Int("--shard-count", 1, 1), "JOB_COMPLETION_INDEX");
        }
        return (0, 1);
    }

    private static string[] Names(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => CellKinds.Find(m) is not null ? m : throw new UsageException($"--models: '{m}' is not one of {string.Join("|", CellKinds.Names)}")).Distinct().ToArray();

    private static int[] Ints(string option, string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) && x >= 0 ? x : throw new UsageException($"{option}: '{v}' is not a non-negative integer")).Distinct().ToArray();
}
