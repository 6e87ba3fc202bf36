using System.Globalization;
using MinRnn.Cells;
using MinRnn.Studies;
using MinRnn.Sweeps;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Cli;

/// <summary>The options that give a grid of runs, shared by `minrnn sweep` and `minrnn study`, and the checks of a grid
/// before anything is written.</summary>
public static class GridArgs
{
    public static readonly string[] PassThrough =
        ["--steps", "--batch", "--lr", "--weight-decay", "--clip", "--warmup", "--schedule", "--dim", "--params", "--expansion", "--scan",
         "--eval-every", "--eval-size", "--checkpoint-every", "--device", "--vocab", .. TaskArgs.FileOptions];

    /// <summary>Pass-through options naming files: passed as full paths, so every run reads the same file.</summary>
    private static readonly string[] FileOptions = ["--data", "--eval-data", "--vocab-from"];

    /// <summary>The options that choose tasks for a grid.</summary>
    public static readonly string[] TaskOptions = ["--tasks", "--suite"];

    /// <summary>The options that give the grid (excluded by --spec).</summary>
    public static readonly string[] GridOptions = ["--models", "--layers", "--seeds", "--seq-lens", "--tokens", "--preset", TaskArgs.TaskOpt, .. TaskOptions, .. PassThrough];

    /// <summary>Every run's arguments parse as `minrnn train` parses them (UsageException otherwise).</summary>
    public static void CheckRuns(SweepGrid grid)
    {
        grid.Validate();
        foreach (var r in grid.Runs())
            TrainArgs.FromArgs(new Args([.. r.TrainArgs, "--out", "x"], TrainArgs.Options)).Validate();
    }

    /// <summary>--threads for each job: given, or the machine's cores shared among the jobs.</summary>
    public static int ThreadsPerJob(string? threads, int jobs) => threads is null ? Math.Max(1, Environment.ProcessorCount / jobs)
        : int.TryParse(threads, out var t) && t >= 1 ? t : throw new UsageException($"--threads: '{threads}' is not a positive integer");

    /// <summary>The grid the options give (sweep, study): models × layers × seeds over the preset's task, or over tasks.</summary>
    public static SweepGrid Grid(Args args, int defaultSeeds, string defaultLayers = "1,2,3")
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
