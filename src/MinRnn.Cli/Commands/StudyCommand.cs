using System.Diagnostics;
using MinRnn.Cli.Sweep;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn study: the whole comparison in one command — the default sweep, then compare.</summary>
public static class StudyCommand
{
    public const string Usage = """
        minrnn study [--preset quick|paper] --out DIR [--seeds 5] [--models mingru,minlstm,gru,lstm] [--layers 1,2,3]
                     [--jobs 2] [--threads N] [--steps N] [other sweep pass-through options]
            trains the grid into DIR/runs (resumable: rerun the same command after an interruption), then writes the
            comparison (test accuracy by model and layers) to DIR/report and prints the headline table
        """;

    public static int Run(string[] argv)
    {
        var args = new Args(argv, ["--out", "--preset", "--seeds", "--models", "--layers", "--seq-lens", "--tokens", "--jobs", "--threads",
            .. SweepCommand.PassThrough], []);
        var outDir = args.Required("--out");
        var grid = SweepCommand.GridFromArgs(args, defaultSeeds: 5);
        var jobs = args.Int("--jobs", Math.Max(1, Environment.ProcessorCount), 1, 64);
        var clock = Stopwatch.StartNew();
        var runsDir = Path.Combine(outDir, "runs");
        Console.Error.WriteLine($"minrnn study: {grid.Runs().Count} runs ({string.Join(",", grid.Models)} × layers {string.Join(",", grid.Layers)} × {grid.Seeds.Length} seeds, preset {grid.Preset}) → {runsDir}");
        var code = SweepCommand.Execute(runsDir, grid, 0, 1, jobs, args.String("--threads"), dryRun: false);
        var report = CompareCommand.Compare([runsDir], Path.Combine(outDir, "report"), "test_accuracy", ["model", "layers"], baseline: null, force: true);
        Console.WriteLine($"study finished in {clock.Elapsed.TotalMinutes:F1} min: {Path.Combine(outDir, "report", "report.md")}");
        return code != 0 || report.Groups.Count == 0 ? 1 : 0;
    }
}
