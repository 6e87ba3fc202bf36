using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Training;

namespace MinRnn.Cli;

/// <summary>`minrnn train`'s options and their parse into a run configuration: the train command reads them, and the
/// grid commands (sweep, study) check every run of a grid with them before anything is written.</summary>
public static class TrainArgs
{
    /// <summary>The options that set the run's configuration (a resumed run refuses them when they differ).</summary>
    public static readonly string[] ConfigOptions =
    [
        "--model", "--layers", "--preset", "--task", "--seq-len", "--tokens", "--vocab", "--dim", "--params", "--expansion", "--scan", "--conv",
        "--ff", "--normalize-gates", "--forget-bias", "--state-size", "--heads", "--steps", "--batch", "--lr", "--weight-decay", "--clip", "--warmup",
        "--schedule", "--eval-every", "--checkpoint-every", "--eval-size", "--seed", "--init-from", .. TaskArgs.FileOptions,
    ];

    public static readonly string[] ValueOptions = [.. ConfigOptions, "--out", "--device", "--threads"];
    public static readonly string[] FlagOptions = ["--resume", "--force", "--quiet"];
    public static readonly string[] Repeatable = [TaskArgs.TaskOpt];
    public static readonly OptionSet Options = new(ValueOptions, FlagOptions, Repeatable);

    /// <summary>The preset, with every given option replacing its field.</summary>
    public static RunConfig FromArgs(Args args)
    {
        if (!args.Has("--model") && !args.Has("--resume"))
            throw new UsageException($"--model: required (one of {string.Join("|", CellKinds.Names)})");
        var cell = args.Choice("--model", new ModelConfig().Cell, CellKinds.Names);   // with --resume alone, the run's config replaces it
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
