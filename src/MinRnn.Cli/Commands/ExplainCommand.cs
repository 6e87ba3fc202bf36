using MinRnn.Cells;
using MinRnn.Runtime;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Study;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn explain: attributions of a trained run scored against its task's ground-truth relevance mask
/// (tasks with a mask: selective copying, associative recall, missing duplicate), internal analyses of the gates
/// and hidden states, and figures.</summary>
public static class ExplainCommand
{
    /// <summary>The kinds that mix positions this way, for the help: "mingru/minlstm/mamba".</summary>
    private static string Mixing(PositionMixing mixing) => UsageText.KindsWhere(k => k.Mixing == mixing, "/");

    public static readonly string Usage = $"""
        minrnn explain --run DIR [--method all|saliency|ixg|ig|occlusion|decomposition|attention-rollout] [--samples N] --out DIR [--force]
                       [--ig-steps N] [--ig-rule kink-aware|gauss-legendre|riemann] [--ig-kink-grid M]
                       [--baseline noise|zeros] [--examples N] [--seed S] [--device auto|cpu|cuda] [--threads N]
            runs whose task has a relevance mask ({UsageText.TasksWhere(t => t.HasRelevance)});
            runs of numeric steps (the user's numeric rows or series): --method all|ixg|occlusion over steps × features of the
            evaluation rows, OUT/explain.json only (docs/EXPLAIN.md, "Numeric steps");
            writes OUT/explain.json, OUT/explain.md and PNG heatmaps; defaults: all methods that apply (decomposition:
            {Mixing(PositionMixing.LinearRecurrence)} only, attention-rollout: {Mixing(PositionMixing.Attention)} only), 64 examples of the run's
            evaluation set, IG from the embedding of the task's filler token (--baseline noise; occlusion and the curves use
            the same token) with the
            kink-aware rule (Gauss–Legendre between the α where a min cell's g changes slope, found from a grid of
            M = 1024 forward passes, 2 + round(64ℓ) nodes on a piece of length ℓ; 66 nodes for GRU/LSTM), figures
            for 3 examples; an existing OUT/explain.json is kept unless --force is given
        """;

    public static readonly OptionSet Options = new(["--run", "--method", "--samples", "--out", "--ig-steps", "--ig-rule", "--ig-kink-grid", "--baseline", "--examples",
        "--seed", "--device", "--threads"], ["--force"]);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var runDir = args.Required("--run");
        var outDir = args.Required("--out");
        var method = args.Choice("--method", "all", ["all", .. AttributionMethods.Names]);
        var samples = args.Int("--samples", 64, 1, 100_000);
        var defaults = new IgOptions();
        var ig = new IgOptions(args.Int("--ig-steps", defaults.Steps, 1, 100_000),
            ExplainStudy.Rules[args.Choice("--ig-rule", ExplainStudy.RuleName(defaults.Rule), ExplainStudy.Rules.Keys.ToList())],
            args.Choice("--baseline", "noise", ["noise", "zeros"]) == "zeros" ? IgBaseline.Zeros : IgBaseline.Noise,
            args.Int("--ig-kink-grid", defaults.KinkGrid, 1, 1_000_000));
        var examples = args.Int("--examples", 3, 0, 100);
        var deviceName = args.Choice("--device", "auto", ["auto", "cpu", "cuda"]);
        if (File.Exists(outDir)) throw new UsageException($"--out: {outDir} is a file");
        var jsonPath = Path.Combine(outDir, ExplainReportWriter.JsonFile);
        if (File.Exists(jsonPath) && !args.Flag("--force"))
            throw new UsageException($"--out: {outDir} already holds explain.json; use --force to replace it");
        Common.ApplyThreads(args);
        if (Common.ReadRun(runDir).Model.Features is not null) return StepFeatures(args, runDir, outDir, jsonPath, method, samples, deviceName);
        var seed = args.Has("--seed") ? args.Long("--seed", 0, 0) : (long?)null;

        using var study = ExplainStudy.Open(new ExplainStudyOptions(runDir, method, samples, ig, examples, seed, deviceName));
        // figures and reports go to OUT/.explain-new/ and replace OUT's only when all exist (explain.json last)
        var report = Durable.WriteAside(outDir, ".explain-new", stage =>
        {
            var result = study.Run(stage, Console.WriteLine);
            ExplainReportWriter.Write(result, stage);
            return result;
        }, last: ExplainReportWriter.JsonFile);
        Console.WriteLine($"{report.Model} × {report.Layers}  {samples} examples  accuracy {report.Accuracy:F4}  → {jsonPath}");
        return 0;
    }

    /// <summary>A run of numeric steps: attributions over steps × features of its evaluation rows into OUT/explain.json.</summary>
    private static int StepFeatures(Args args, string runDir, string outDir, string jsonPath, string method, int samples, string deviceName)
    {
        if (new[] { "--ig-steps", "--ig-rule", "--ig-kink-grid", "--baseline", "--examples", "--seed" }.FirstOrDefault(args.Has) is { } other)
            throw new UsageException($"{other}: does not apply to a run of numeric steps (methods {string.Join("|", StepFeatureStudy.Methods)}, no figures)");
        var json = StepFeatureStudy.Run(runDir, method, samples, deviceName);
        Directory.CreateDirectory(outDir);
        MinRnn.Training.RunFiles.WriteAtomic(jsonPath, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"{json["model"]} × {json["layers"]}  {json["samples"]} rows of numeric steps  → {jsonPath}");
        return 0;
    }
}
