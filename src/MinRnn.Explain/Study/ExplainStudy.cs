using System.Diagnostics;
using MinRnn.Cells;
using MinRnn.Cells.Unrolling;
using MinRnn.Explain.Attribution;
using MinRnn.Explain.Evaluation;
using MinRnn.Explain.Internals;
using MinRnn.Explain.Scoring;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Explain.Study;

/// <summary>What `minrnn explain` studies: a run folder, the methods ("all" or one name), the evaluation examples,
/// IG's settings, how many examples get figures, the seed (null: the run's training seed) and the device.</summary>
public sealed record ExplainStudyOptions(string RunDir, string Method = "all", int Samples = 64, IgOptions? Ig = null,
    int Examples = 3, long? Seed = null, string Device = "auto");

/// <summary>The explain study of a trained run: every attribution method scored against its task's ground-truth
/// relevance mask, the internal analyses of the gates and hidden states (min cells), and figures.</summary>
public sealed class ExplainStudy : IDisposable
{
    /// <summary>The integration rules by their explain.json (and --ig-rule) names.</summary>
    public static readonly IReadOnlyDictionary<string, IntegrationRule> Rules = new Dictionary<string, IntegrationRule>
    {
        ["kink-aware"] = IntegrationRule.KinkAware,
        ["gauss-legendre"] = IntegrationRule.GaussLegendre,
        ["riemann"] = IntegrationRule.Riemann,
    };

    public static string RuleName(IntegrationRule rule) => Rules.First(r => r.Value == rule).Key;

    private readonly ExplainStudyOptions options;
    private readonly RunConfig config;
    private readonly string[] names;
    private readonly SequenceModel model;

    private ExplainStudy(ExplainStudyOptions options, RunConfig config, string[] names, SequenceModel model) =>
        (this.options, this.config, this.names, this.model) = (options, config, names, model);

    public RunConfig Config => config;

    /// <summary>Reads the run, checks that the study applies to it and loads its model, before anything is computed or
    /// written: a task without a relevance mask, or a method that does not apply to the run's cell kind (decomposition of a
    /// GRU, attention rollout of anything but a transformer), throws ArgumentException.</summary>
    public static ExplainStudy Open(ExplainStudyOptions options)
    {
        var config = RunFiles.ReadConfig(options.RunDir);
        var task = config.Task;
        if (!task.HasRelevance)
            throw new ArgumentException($"--run: explain needs a task with a relevance mask (this run is {task.Name}; " +
                                        $"tasks: {string.Join("|", TaskRegistry.All.Where(k => k.Quick.HasRelevance).Select(k => k.Name))})");
        var kind = CellKinds.Get(config.Model.Cell);
        if (options.Method != "all" && AttributionMethods.Create(options.Method) is var method && !method.AppliesTo(kind))
            throw new ArgumentException($"--method: {method.Name} needs a {method.Kinds()} run (this run is {kind.Name})");
        var names = options.Method == "all" ? AttributionMethods.Names.Where(n => AttributionMethods.Create(n).AppliesTo(kind)).ToArray() : [options.Method];
        var device = Devices.Resolve(options.Device);
        return new ExplainStudy(options, config, names, Checkpoint.LoadModel(options.RunDir, device));
    }

    /// <summary>Runs the study, writes its figures into `figureDir` and reports each method's scores to `progress`
    /// as it finishes.</summary>
    public ExplainReport Run(string figureDir, Action<string> progress)
    {
        var (runDir, samples, ig, task) = (options.RunDir, options.Samples, options.Ig ?? new IgOptions(), config.Task);
        var examples = Math.Min(options.Examples, samples);
        var seed = options.Seed ?? config.Train.Seed;
        var minCells = CellKinds.IsMin(config.Model.Cell);
        var device = model.parameters().First().device;

        var randomSeed = Seeds.Initialisation(seed) + 1;
        using var randomized = ModelRandomization.Randomized(model, randomSeed);
        using var data = task.Sample(samples, Seeds.Evaluation(seed), TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, task, data);
        var accuracy = Evaluator.Evaluate(model, data, classes: task.Classes).Accuracy;
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
            progress(ScoreLine(name, scores, completeness));
            for (var e = 0; e < examples; e++)
                figures.Add(ExplainFigures.Attribution(figureDir, name, e, attributions[e], cases, task));
        }

        List<GateStatistic>? gates = null;
        List<MemorySummary>? memory = null;
        if (minCells)
        {
            // token types (marker, noise, data) are roles only some tasks have: others skip them (explain.md says so)
            if (task.Explanation is { TokenRoles: true }) gates = GateStatistics.Compute(model, cases.Tokens);
            memory = MemoryHorizon.Compute(model, cases.Tokens).Select(m => new MemorySummary(m.Layer, m.Horizon, m.Retention)).ToList();
            figures.AddRange(ExplainFigures.Gates(figureDir, model, cases, task, examples));
            if (examples > 0) figures.AddRange(ExplainFigures.ImplicitAttention(figureDir, model, cases, task));
        }
        var pca = HiddenStatePca.Compute(model, cases.Tokens);
        figures.AddRange(ExplainFigures.Pca(figureDir, pca, cases, task, Math.Max(examples, 1)));
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
            Decomposition: Decomposition(model));
        return new ExplainReport(ExplainReport.Version, runDir, config.Model.Cell, config.Model.Layers,
            task.Summary(), samples, seed,
            device.type.ToString().ToLowerInvariant(), accuracy, settings, methods, gates, memory,
            pca.Select(p => new PcaSummary(p.Layer, p.ExplainedVariance)).ToList(), figures, RunFiles.Version);
    }

    /// <summary>settings.decomposition: what the decomposition and the attention rollout read, for the run's kind.</summary>
    private static string Decomposition(SequenceModel model) => model.Blocks[0].Cell switch
    {
        IUnrollingCell cell => $"{cell.Unrolling} per layer; token relevance = norm-based rollout across layers (residual weighted by ‖x‖" +
                               $"{(CellKinds.Get(model.Config.Cell).OwnConv ? ", the cell's conv position-local" : "")}); class-independent",
        _ when CellKinds.Get(model.Config.Cell).Mixing == PositionMixing.Attention =>
            "attention rollout: heads averaged, identity added for the residual, rows renormalised, multiplied through the layers (Abnar & Zuidema 2020); " +
            "class-independent",
        _ => "none: the cell's gates read h_{t−1}, so it does not unroll exactly",
    };

    private static string ScoreLine(string name, MethodScores scores, IgCompleteness? completeness) =>
        $"{name,-14} pointing {scores.PointingGame:F3}  mass {scores.RelevanceMass:F3}  rank {scores.RelevanceRank:F3}  " +
        $"deletion {scores.DeletionAuc:F3}  insertion {scores.InsertionAuc:F3}  random ρ {scores.RandomizationRankCorr:F3}" +
        (completeness is { } c ? $"  IG delta {c.Delta:E2} (rel. {scores.IgCompletenessRelative:E2}, max {c.MaxRelative:E2}, {c.MeanNodes:F0} nodes)" : "") +
        $"  ({scores.Seconds:F1} s)";

    public void Dispose() => model.Dispose();
}
