using MinRnn.Cells;
using System.Diagnostics;
using MinRnn.Cli.Reports;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Evaluation;
using MinRnn.Explain.Internals;
using MinRnn.Explain.Scoring;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn explain: attributions of a trained run scored against its task's ground-truth relevance mask
/// (tasks with a mask: selective copying, associative recall, missing duplicate), internal analyses of the gates
/// and hidden states, and figures.</summary>
public static class ExplainCommand
{
    public const string Usage = """
        minrnn explain --run DIR [--method all|saliency|ixg|ig|occlusion|decomposition] [--samples N] --out DIR [--force]
                       [--ig-steps N] [--ig-rule kink-aware|gauss-legendre|riemann] [--ig-kink-grid M]
                       [--baseline noise|zeros] [--examples N] [--seed S] [--device auto|cpu|cuda] [--threads N]
            runs whose task has a relevance mask (selective-copy, associative-recall, missing-duplicate);
            writes OUT/explain.json, OUT/explain.md and PNG heatmaps; defaults: all methods that apply (decomposition:
            mingru/minlstm only), 64 examples of the run's evaluation set, IG from the embedding of the task's filler
            token (--baseline noise; occlusion and the curves use the same token) with the
            kink-aware rule (Gauss–Legendre between the α where a min cell's g changes slope, found from a grid of
            M = 1024 forward passes, 2 + round(64ℓ) nodes on a piece of length ℓ; 66 nodes for GRU/LSTM), figures
            for 3 examples; an existing OUT/explain.json is kept unless --force is given
        """;

    /// <summary>--ig-rule values.</summary>
    private static readonly Dictionary<string, IntegrationRule> IgRules = new()
    {
        ["kink-aware"] = IntegrationRule.KinkAware,
        ["gauss-legendre"] = IntegrationRule.GaussLegendre,
        ["riemann"] = IntegrationRule.Riemann,
    };

    public static int Run(string[] argv)
    {
        var args = new Args(argv, ["--run", "--method", "--samples", "--out", "--ig-steps", "--ig-rule", "--ig-kink-grid", "--baseline", "--examples", "--seed", "--device", "--threads"], ["--force"]);
        var runDir = args.Required("--run");
        var outDir = args.Required("--out");
        var method = args.Choice("--method", "all", ["all", .. AttributionMethods.Names]);
        var samples = args.Int("--samples", 64, 1, 100_000);
        var defaults = new IgOptions();
        var ig = new IgOptions(args.Int("--ig-steps", defaults.Steps, 1, 100_000),
            IgRules[args.Choice("--ig-rule", RuleName(defaults.Rule), IgRules.Keys)],
            args.Choice("--baseline", "noise", ["noise", "zeros"]) == "zeros" ? IgBaseline.Zeros : IgBaseline.Noise,
            args.Int("--ig-kink-grid", defaults.KinkGrid, 1, 1_000_000));
        var examples = Math.Min(args.Int("--examples", 3, 0, 100), samples);
        var deviceName = args.Choice("--device", "auto", ["auto", "cpu", "cuda"]);
        if (File.Exists(outDir)) throw new UsageException($"--out: {outDir} is a file");
        var jsonPath = Path.Combine(outDir, "explain.json");
        if (File.Exists(jsonPath) && !args.Flag("--force"))
            throw new UsageException($"--out: {outDir} already holds explain.json; use --force to replace it");
        Common.ApplyThreads(args);
        var config = Common.ReadRun(runDir);
        var task = config.Task;
        if (!task.HasRelevance)
            throw new UsageException($"--run: explain needs a task with a relevance mask (this run is {task.Name}; tasks: {string.Join("|", TaskRegistry.All.Where(k => k.Quick.HasRelevance).Select(k => k.Name))})");
        var seed = args.Long("--seed", config.Train.Seed, 0);
        var minCells = CellKinds.IsMin(config.Model.Cell);
        if (method == "decomposition" && !minCells)
            throw new UsageException($"--method: decomposition needs a mingru or minlstm run (this run is {config.Model.Cell})");
        var names = method == "all" ? AttributionMethods.Names.Where(n => minCells || n != "decomposition").ToArray() : [method];
        var device = Devices.Resolve(deviceName);

        using var model = Checkpoint.LoadModel(runDir, device);
        var randomSeed = Seeds.Initialisation(seed) + 1;
        using var randomized = ModelRandomization.Randomized(model, randomSeed);
        using var data = task.Sample(samples, Seeds.Evaluation(seed), TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, task, data);
        var accuracy = Evaluator.Evaluate(model, data).Accuracy;
        // figures and reports go to OUT/.explain-new/ and replace OUT's only when all exist (explain.json last)
        Common.WriteAside(outDir, ".explain-new", stage =>
        {
            var figures = new List<string>();

            var methods = new Dictionary<string, MethodScores>();
            IgCompleteness? igCompleteness = null;
            foreach (var name in names)
            {
                var clock = Stopwatch.StartNew();
                var explainer = AttributionMethods.Create(name, ig, cases.Filler);
                using var scope = NewDisposeScope();
                var (attributions, completeness) = ExplanationBenchmark.Attribute(explainer, model, cases);
                var scores = ExplanationBenchmark.Score(explainer, model, randomized, cases, attributions, completeness, clock);
                methods[name] = scores;
                igCompleteness ??= completeness;
                Console.WriteLine($"{name,-14} pointing {scores.PointingGame:F3}  mass {scores.RelevanceMass:F3}  rank {scores.RelevanceRank:F3}  " +
                                  $"deletion {scores.DeletionAuc:F3}  insertion {scores.InsertionAuc:F3}  random ρ {scores.RandomizationRankCorr:F3}" +
                                  (completeness is { } c ? $"  IG delta {c.Delta:E2} (rel. {scores.IgCompletenessRelative:E2}, max {c.MaxRelative:E2}, {c.MeanNodes:F0} nodes)" : "") +
                                  $"  ({scores.Seconds:F1} s)");
                for (var e = 0; e < examples; e++)
                    figures.Add(ExplainFigures.Attribution(stage, name, e, attributions[e], cases, task));
            }

            List<GateStatistic>? gates = null;
            List<MemorySummary>? memory = null;
            if (minCells)
            {
                // token types (marker, noise, data) are selective copying's roles: other tasks skip them (explain.md says so)
                if (task is SelectiveCopying) gates = GateStatistics.Compute(model, cases.Tokens);
                memory = MemoryHorizon.Compute(model, cases.Tokens).Select(m => new MemorySummary(m.Layer, m.Horizon, m.Retention)).ToList();
                figures.AddRange(ExplainFigures.Gates(stage, model, cases, task, examples));
                if (examples > 0) figures.AddRange(ExplainFigures.ImplicitAttention(stage, model, cases, task));
            }
            var pca = HiddenStatePca.Compute(model, cases.Tokens);
            figures.AddRange(ExplainFigures.Pca(stage, pca, cases, task, Math.Max(examples, 1)));
            var texts = ExplainTexts.For(task, cases);

            var settings = new ExplainSettings(
                Target: texts.Target,
                Relevance: "|attribution| per input token (embedding methods: summed over embedding dimensions; saliency: gradient L2 norm)",
                GroundTruth: texts.GroundTruth,
                Chance: 1.0 / cases.Tokens.shape[1],
                IgSteps: ig.Steps, IgRule: RuleName(ig.Rule), IgKinkGrid: ig.Rule == IntegrationRule.KinkAware ? ig.KinkGrid : null,
                IgNodesMean: igCompleteness?.MeanNodes, IgNodesMax: igCompleteness?.MaxNodes,
                IgBaseline: ig.Baseline == IgBaseline.Zeros ? "zeros" : "noise",
                OcclusionToken: cases.Filler,
                Curves: texts.Curves,
                Randomization: texts.Randomization,
                RandomizationSeed: randomSeed,
                Decomposition: "exact α_{t,j} = b_j ⊙ Π_{k=j+1..t} a_k per layer; token relevance = norm-based rollout across layers (residual weighted by ‖x‖); class-independent");
            var report = new ExplainReport(ExplainReport.Version, runDir, config.Model.Cell, config.Model.Layers,
                task.Summary(), samples, seed,
                device.type.ToString().ToLowerInvariant(), accuracy, settings, methods, gates, memory,
                pca.Select(p => new PcaSummary(p.Layer, p.ExplainedVariance)).ToList(), figures, RunFiles.Version);
            File.WriteAllText(Path.Combine(stage, "explain.md"), report.ToMarkdown());
            File.WriteAllText(Path.Combine(stage, "explain.json"), report.ToJson());
            return figures;
        }, last: "explain.json");
        Console.WriteLine($"{config.Model.Cell} × {config.Model.Layers}  {samples} examples  accuracy {accuracy:F4}  → {jsonPath}");
        return 0;
    }

    private static string RuleName(IntegrationRule rule) => IgRules.First(r => r.Value == rule).Key;
}
