using MinRnn.Runs;
using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn train: one run of any task into --out.</summary>
public static class TrainCommand
{
    public static readonly string Usage = $"""
        minrnn train --model {UsageText.Kinds("|")} [--layers N] [--preset {string.Join("|", Presets.Names)}] --out DIR
            task:  [--task {UsageText.Tasks(112, "                           ")}] [--seq-len T] [--task-opt KEY=VALUE]…
                   {UsageText.TaskOptions("           ")}
                   every task's options: docs/TASKS.md
            model: [--dim D | --params N] [--expansion E] [--scan {UsageText.Choices<MinRnn.Scans.ScanMode>()}] [--conv K] [--ff MULT]
                   [--normalize-gates true|false] [--forget-bias B]
                   {CellKinds.Taking(CellOption.StateSize)}: [--state-size N]   {CellKinds.Taking(CellOption.Heads)}: [--heads H]
                   --params N: the width d whose parameter count is nearest to N (within 5%; docs/LM.md)
            train: [--steps N] [--batch B] [--lr LR] [--weight-decay W] [--clip C] [--warmup N]
                   [--schedule constant|cosine] [--eval-every N] [--checkpoint-every N] [--eval-size N]
                   [--seed S] [--device auto|cpu|cuda] [--threads N]
                   [--init-from FILE.safetensors] start from these weights (names: minrnn export --format safetensors)
            [--resume] continue from DIR's checkpoint; when a --force run over DIR was stopped or killed before it
                       replaced DIR's run, continue that one (in DIR/.force-new) and replace DIR's run when it completes
            [--force]  start over: the new run replaces DIR's once complete (an interrupted --force run is discarded)
        """;

    public static readonly OptionSet Options = TrainArgs.Options;

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var outDir = args.Required("--out");
        Common.ApplyThreads(args);
        var (resume, force) = (args.Flag("--resume"), args.Flag("--force"));
        if (resume && force) throw new UsageException("--resume and --force exclude each other");
        var config = TrainArgs.FromArgs(args);
        var existing = RunFolder.Existing(outDir);
        if (existing.Count > 0 && !resume && !force)
            throw new UsageException($"--out: {outDir} already holds a run ({string.Join(", ", existing)}); use --resume to continue or --force to start over");
        var interrupted = RunFolder.ResumeFrom(outDir) is var from && from != outDir ? from : null;   // a --force run a kill left
        var resumed = resume ? interrupted ?? outDir : null;
        if (resumed is not null)
        {
            var given = TrainArgs.ConfigOptions.Append(TaskArgs.TaskOpt).Where(args.Has).ToList();
            config = RunFolder.Resumed(resumed, given.Count > 0 ? config : null, args.String("--device"))
                ?? throw new UsageException($"--resume: {string.Join(" ", given)} differ from {Path.Combine(resumed, RunFiles.Config)}; drop them to continue that run");
        }

        var device = Devices.Resolve(config.Train.Device);             // cuda without CUDA: bad input, nothing touched

        Console.Error.WriteLine($"minrnn train: {config.Model.Cell} × {config.Model.Layers} layers, {config.Task.Name} {TaskJson.OptionsOf(config.Task).ToJsonString()}, " +
                                $"{config.Train.Steps} steps, seed {config.Train.Seed}, device {device} → {outDir}" + Continues(resume, force, interrupted));
        if (config.Model.ParamsTarget is { } target)
            Console.Error.WriteLine($"minrnn train: --params {target}: width d = {config.Model.Dim}, {ParameterMatch.Count(config.Model)} parameters");
        using var progress = new ConsoleProgress(quiet: args.Flag("--quiet"));
        var start = resume ? RunStart.Resume : force ? RunStart.Force : RunStart.New;
        var summary = RunFolder.Train(config, outDir, start, progress.Report, Common.CancelOnCtrlC());
        progress.Finish();
        var own = string.Concat(config.Task.Metrics.Select(m => $"test_{m.Name} {RunJson.Number(summary.TaskMetrics, RunFields.TestPrefix + m.Name):F4}  "));
        Console.WriteLine($"test_accuracy {summary.TestAccuracy:F4}  final_loss {summary.FinalLoss:F4}  {own}parameters {summary.Parameters}  " +
                          $"train_seconds {summary.TrainSeconds:F1}  → {Path.Combine(outDir, RunFiles.Summary)}");
        return 0;
    }

    /// <summary>Which run the banner says --resume continues, or that --force discards an interrupted forced run.</summary>
    private static string Continues(bool resume, bool force, string? interrupted) => (resume, force, interrupted) switch
    {
        (true, _, null) => ", resuming its run",
        (true, _, _) => $", resuming the interrupted --force run in {interrupted} (it replaces the run there when complete)",
        (_, true, not null) => $", discarding the interrupted --force run in {interrupted}",
        _ => "",
    };
}
