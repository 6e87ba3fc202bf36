using MinRnn.Runs;
using MinRnn.Sweeps;
using System.Diagnostics;
using MinRnn.Cli.Reports;
using MinRnn.Studies;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn study: the whole comparison in one command — the sweep, then compare (over tasks: length
/// generalisation, per-task and cross-task statistics, the task × model table).</summary>
public static class StudyCommand
{
    public static readonly string Usage = $"""
        minrnn study [--preset quick|paper] --out DIR [--seeds 5] [--models {UsageText.Kinds()}] [--layers 1,2,3]
                     [--suite formal | --tasks a,b,…] [--task-opt KEY=V1,V2]…
                     [--suite lm --data FILE [--eval-data FILE] [--params N]]
                     [--jobs 2] [--threads N] [--steps N] [other sweep pass-through options]
            trains the grid into DIR/runs (resumable: rerun the same command after an interruption), then writes the
            comparison (test accuracy by model and layers) to DIR/report and prints the headline table.
            With --suite/--tasks (default 3 seeds, layers 1,2): every run is also evaluated at 2× and 4× its training
            length; DIR/report/TASK/ compares per task, DIR/report/report.md across tasks (Friedman, critical
            difference), DIR/report/suite.md holds the task × model table (solved = mean accuracy ≥ 0.90) and findings
            With --suite lm (default 3 seeds, the lm preset's 3 layers): character language modelling on FILE, every kind at
            equal parameters (docs/LM.md); every run also evaluated at 2×, 4×, 8× its training context; DIR/report/report.md
            compares test_bpc by model, DIR/report/lm.md holds the model table, the length table and the learning curves
        """;

    public static readonly OptionSet Options = new(["--out", "--preset", "--seeds", "--models", "--layers", "--seq-lens", "--tokens", "--jobs", "--threads",
            .. SweepCommand.TaskOptions, .. SweepCommand.PassThrough], [], [TaskArgs.TaskOpt]);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var outDir = args.Required("--out");
        var tasks = SweepCommand.Tasks(args) is not null;
        var lm = args.String("--suite") == LmStudyFiles.Suite;
        var grid = SweepCommand.GridFromArgs(args, defaultSeeds: tasks ? 3 : 5,
            defaultLayers: lm ? $"{MinRnn.Training.LmPreset.Layers}" : tasks ? "1,2" : "1,2,3");
        var jobs = args.Int("--jobs", Math.Max(1, Environment.ProcessorCount), 1, 64);
        var clock = Stopwatch.StartNew();
        var runsDir = Path.Combine(outDir, "runs");
        Console.Error.WriteLine($"minrnn study: {grid.Runs().Count} runs ({(grid.Tasks is { } t ? string.Join(",", t) + " × " : "")}" +
                                $"{string.Join(",", grid.Models)} × layers {string.Join(",", grid.Layers)} × {grid.Seeds.Length} seeds, preset {grid.Preset}) → {runsDir}");
        var code = SweepCommand.Execute(runsDir, grid, SweepShard.Whole, jobs, args.String("--threads"), dryRun: false);
        var reportDir = Path.Combine(outDir, "report");
        if (lm)
        {
            var suite = LmStudyFiles.Write(runsDir, reportDir, args.String("--device") ?? "auto", Log);
            LmStudy.Print(suite);
            Console.WriteLine($"study finished in {clock.Elapsed.TotalMinutes:F1} min: {Path.Combine(reportDir, "lm.md")}");
            return code != 0 || suite.Rows.Count == 0 ? 1 : 0;
        }
        if (tasks)
        {
            var suite = TaskSuiteFiles.Write(runsDir, reportDir, args.String("--device") ?? "auto", Log);
            TaskSuiteStudy.Print(suite);
            Console.WriteLine($"study finished in {clock.Elapsed.TotalMinutes:F1} min: {Path.Combine(reportDir, "suite.md")}");
            return code != 0 || suite.Rows.Count == 0 ? 1 : 0;
        }
        var report = CompareCommand.Compare([runsDir], reportDir, RunFields.TestAccuracy, [RunFields.Model, RunFields.Layers], baseline: null, force: true);
        Console.WriteLine($"study finished in {clock.Elapsed.TotalMinutes:F1} min: {Path.Combine(reportDir, "report.md")}");
        return code != 0 || report.Groups.Count == 0 ? 1 : 0;
    }

    private static void Log(string line) => Console.Error.WriteLine($"minrnn study: {line}");
}
