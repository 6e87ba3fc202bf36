using System.Diagnostics;
using MinRnn.Cli.Reports;
using MinRnn.Studies;
using MinRnn.Sweeps;

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
            .. GridArgs.TaskOptions, .. GridArgs.PassThrough], [], [TaskArgs.TaskOpt]);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var outDir = args.Required("--out");
        var kind = args.String("--suite") == LmStudyFiles.Suite ? StudyKind.Lm : GridArgs.Tasks(args) is not null ? StudyKind.Tasks : StudyKind.Accuracy;
        var grid = GridArgs.Grid(args, defaultSeeds: kind == StudyKind.Accuracy ? 5 : 3,
            defaultLayers: kind switch { StudyKind.Lm => $"{MinRnn.Training.LmPreset.Layers}", StudyKind.Tasks => "1,2", _ => "1,2,3" });
        var jobs = args.Int("--jobs", Math.Max(1, Environment.ProcessorCount), 1, 64);
        var threads = GridArgs.ThreadsPerJob(args.String("--threads"), jobs);
        GridArgs.CheckRuns(grid);
        var clock = Stopwatch.StartNew();
        Console.Error.WriteLine($"minrnn study: {grid.Runs().Count} runs ({(grid.Tasks is { } t ? string.Join(",", t) + " × " : "")}" +
                                $"{string.Join(",", grid.Models)} × layers {string.Join(",", grid.Layers)} × {grid.Seeds.Length} seeds, preset {grid.Preset}) → " +
                                Path.Combine(outDir, Study.Runs));
        var result = Study.Run(outDir, grid, kind, jobs, threads, args.String("--device") ?? "auto", Common.CancelOnCtrlC(), Console.Error.WriteLine,
            sweep => Console.WriteLine(sweep.Line(SweepShard.Whole, Path.Combine(outDir, Study.Runs, SweepRunner.ManifestFile))),
            line => Console.Error.WriteLine($"minrnn study: {line}"));
        if (result.Lm is { } lm) LmStudy.Print(lm);
        if (result.Tasks is { } tasks) TaskSuiteStudy.Print(tasks);
        if (result.Comparison is { Groups.Count: > 0 } comparison) ComparisonTable.Print(comparison, result.ReportDir, result.Figures);
        Console.WriteLine($"study finished in {clock.Elapsed.TotalMinutes:F1} min: {result.Headline}");
        return result.Complete ? 0 : 1;
    }
}
