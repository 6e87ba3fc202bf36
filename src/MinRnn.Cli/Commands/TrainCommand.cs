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

    private static readonly string[] ConfigOptions =
    [
        "--model", "--layers", "--preset", "--task", "--seq-len", "--tokens", "--vocab", "--dim", "--params", "--expansion", "--scan", "--conv",
        "--ff", "--normalize-gates", "--forget-bias", "--state-size", "--heads", "--steps", "--batch", "--lr", "--weight-decay", "--clip", "--warmup",
        "--schedule", "--eval-every", "--checkpoint-every", "--eval-size", "--seed", "--init-from", .. TaskArgs.FileOptions,
    ];

    public static readonly string[] ValueOptions = [.. ConfigOptions, "--out", "--device", "--threads"];
    public static readonly string[] FlagOptions = ["--resume", "--force", "--quiet"];
    public static readonly string[] Repeatable = [TaskArgs.TaskOpt];
    public static readonly OptionSet Options = new(ValueOptions, FlagOptions, Repeatable);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var outDir = args.Required("--out");
        Common.ApplyThreads(args);
        var (resume, force) = (args.Flag("--resume"), args.Flag("--force"));
        if (resume && force) throw new UsageException("--resume and --force exclude each other");
        var config = FromArgs(args);
        var existing = RunFolder.Existing(outDir);
        if (existing.Count > 0 && !resume && !force)
            throw new UsageException($"--out: {outDir} already holds a run ({string.Join(", ", existing)}); use --resume to continue or --force to start over");
        var interrupted = RunFolder.ResumeFrom(outDir) is var from && from != outDir ? from : null;   // a --force run a kill left
        var resumed = resume ? interrupted ?? outDir : null;
        if (resumed is not null)
        {
            var given = ConfigOptions.Append(TaskArgs.TaskOpt).Where(args.Has).ToList();
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

    /// <summary>The preset, with every given option replacing its field.</summary>
    public static RunConfig FromArgs(Args args)
    {
        if (!args.Has("--model") && !args.Has("--resume"))
            throw new UsageException($"--model: required (one of {string.Join("|", CellKinds.Names)})");
        var cell = args.Choice("--model", "mingru", CellKinds.Names);
        var presetName = args.Choice("--preset", "quick", Presets.Names);
        var preset = PresetFor(presetName, cell, TaskArgs.Name(args, Presets.TaskOf(presetName)));
        var (m, t, o) = (preset.Model, preset.Task, preset.Train);
        if (args.Has("--vocab")) args.Int("--vocab", 0, 3, 1 << 20);
        t = TaskArgs.Apply(args, TaskArgs.Text(args, t));
        TaskArgs.CheckData(t);
        m = m with
        {
            Layers = args.Int("--layers", m.Layers, 1, 64),
            Vocab = t.Vocabulary.Size,
            Features = t.InputFeatures,
            Dim = args.Int("--dim", m.Dim, 1, 1 << 16),
            Expansion = args.Double("--expansion", m.Expansion, 0, exclusiveMin: true),
            Scan = Common.ParseEnum("--scan", args.String("--scan"), m.Scan),
            ConvKernel = args.Int("--conv", m.ConvKernel, 0, 1024),
            FeedForwardMult = args.Double("--ff", m.FeedForwardMult, 0),
            NormalizeGates = Common.ParseBool("--normalize-gates", args.String("--normalize-gates"), m.NormalizeGates),
            ForgetBias = args.Double("--forget-bias", m.ForgetBias),
            StateSize = args.Has("--state-size") ? args.Int("--state-size", 0, 1, 1 << 16) : m.StateSize,
            Heads = args.Has("--heads") ? args.Int("--heads", 0, 1, 1 << 16) : m.Heads,
        };
        if (m.ConvKernel == 1) throw new UsageException("--conv: must be 0 (off) or ≥ 2");
        m = MatchParameters(args, m);
        m.Validate();                                                   // options of another kind, heads that do not divide the width
        o = o with
        {
            Steps = args.Int("--steps", o.Steps, 1),
            Batch = args.Int("--batch", o.Batch, 1),
            Lr = args.Double("--lr", o.Lr, 0, exclusiveMin: true),
            WeightDecay = args.Double("--weight-decay", o.WeightDecay, 0),
            Clip = args.Double("--clip", o.Clip, 0),
            WarmupSteps = args.Int("--warmup", o.WarmupSteps, 0),
            Schedule = Common.ParseEnum("--schedule", args.String("--schedule"), o.Schedule),
            EvalEvery = args.Int("--eval-every", o.EvalEvery, 1),
            CheckpointEvery = args.Int("--checkpoint-every", o.CheckpointEvery, 1),
            EvalSize = args.Int("--eval-size", o.EvalSize, 1),
            Seed = args.Long("--seed", o.Seed, 0),
            Device = args.Choice("--device", o.Device, ["auto", "cpu", "cuda"]),
            InitFrom = args.String("--init-from") is { } init
                ? File.Exists(init) ? init : throw new UsageException($"--init-from: {init} does not exist")
                : o.InitFrom,
        };
        return new RunConfig(m, t, o);
    }

    /// <summary>--params N (or the preset's target unless --dim is given): the width whose parameter count is nearest to N.</summary>
    private static ModelConfig MatchParameters(Args args, ModelConfig m)
    {
        if (args.Has("--params") && args.Has("--dim")) throw new UsageException("--params: give either --params or --dim, not both");
        var target = args.String("--params") is { } text
            ? long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n : throw new UsageException($"--params: '{text}' is not a positive integer")
            : args.Has("--dim") ? null : m.ParamsTarget;
        if (target is not { } goal) return m with { ParamsTarget = null };
        try { return ParameterMatch.Match(m with { ParamsTarget = goal }, goal).Config; }
        catch (ArgumentException e) { throw new UsageException("--" + e.Message); }
    }

    private static RunConfig PresetFor(string preset, string cell, string task)
    {
        try { return Presets.Get(preset, cell, task); } catch (ArgumentException e) { throw new UsageException("--" + e.Message); }
    }
}
