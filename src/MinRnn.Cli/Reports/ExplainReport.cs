using System.Text.Json.Nodes;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MinRnn.Explain.Evaluation;
using MinRnn.Explain.Internals;
using MinRnn.Training;

namespace MinRnn.Cli.Reports;

/// <summary>How the scores were obtained, written beside them. Chance = the score of a uniform attribution (1/L)
/// for pointing game, relevance mass and relevance rank. IG: the rule, its n and (kink-aware) grid M, and the
/// quadrature nodes (gradient evaluations) it took per example on the trained model, mean and largest.</summary>
public sealed record ExplainSettings(
    string Target,
    string Relevance,
    string GroundTruth,
    double Chance,
    int IgSteps,
    string IgRule,
    int? IgKinkGrid,
    double? IgNodesMean,
    int? IgNodesMax,
    string IgBaseline,
    long OcclusionToken,
    string Curves,
    string Randomization,
    long RandomizationSeed,
    string Decomposition);

/// <summary>Memory horizon of one layer (see MemoryHorizon).</summary>
public sealed record MemorySummary(int Layer, int? Horizon, double[] Retention);

/// <summary>Share of variance of the first two principal components of one layer's hidden states.</summary>
public sealed record PcaSummary(int Layer, double[] ExplainedVariance);

/// <summary>OUT/explain.json: every score with its settings, plus the internal analyses.</summary>
public sealed record ExplainReport(
    int FormatVersion,
    string Run,
    string Model,
    int Layers,
    JsonObject Task,
    int Samples,
    long Seed,
    string Device,
    double Accuracy,
    ExplainSettings Settings,
    Dictionary<string, MethodScores> Methods,
    List<GateStatistic>? Gates,
    List<MemorySummary>? Memory,
    List<PcaSummary> Pca,
    List<string> Figures,
    string MinrnnVersion)
{
    public const int Version = 1;

    public static readonly JsonSerializerOptions Json = new(RunConfig.Json)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ExplainReport FromJson(string json) =>
        JsonSerializer.Deserialize<ExplainReport>(json, Json) ?? throw new InvalidDataException("explain.json: empty");

    private static string F(double x) => double.IsNaN(x) ? "–" : x.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>OUT/explain.md: the same numbers as tables.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"# Explanations: {Model} × {Layers} (`{Run}`)\n");
        md.AppendLine($"{TaskLine()}; {Samples} evaluation examples (seed {Seed}), " +
                      $"{Methods.Values.FirstOrDefault()?.Cases ?? 0} cases; model accuracy on them {F(Accuracy)}.\n");
        md.AppendLine($"Target: {Settings.Target}. Relevance: {Settings.Relevance}. Ground truth: {Settings.GroundTruth}.\n");
        md.AppendLine("| method | pointing game | relevance mass | relevance rank | deletion AUC ↓ | insertion AUC ↑ | randomisation ρ ↓ | IG delta (rel., max rel.) | s |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, s) in Methods)
            md.AppendLine($"| {name} | {F(s.PointingGame)} | {F(s.RelevanceMass)} | {F(s.RelevanceRank)} | {F(s.DeletionAuc)} | {F(s.InsertionAuc)} | " +
                          $"{F(s.RandomizationRankCorr)} | {(s.IgCompletenessDelta is { } d ? $"{d:E2} ({s.IgCompletenessRelative:E2}, {s.IgCompletenessMaxRelative:E2})" : "")} | {F(s.Seconds)} |");
        md.AppendLine($"| chance (uniform) | {F(Settings.Chance)} | {F(Settings.Chance)} | {F(Settings.Chance)} | | | | | |\n");
        md.AppendLine($"- IG: {Settings.IgRule}, n = {Settings.IgSteps}" + (Settings.IgKinkGrid is { } grid ? $", kink grid M = {grid}" : "") +
                      (Settings.IgNodesMean is { } nodes ? $", {nodes:F0} nodes per example (max {Settings.IgNodesMax})" : "") +
                      $", baseline {Settings.IgBaseline}{(Settings.IgBaseline == "noise" && !SelectiveCopying ? $" (the task's filler token {Settings.OcclusionToken})" : "")}; delta = mean |Σ attr − (F(x) − F(x'))|, rel. = / mean |F(x) − F(x')|, max rel. = largest |delta| / |F(x) − F(x')| of one case.");
        md.AppendLine($"- Occlusion replaces one token by token {Settings.OcclusionToken} ({(SelectiveCopying ? "noise" : "the task's filler")}). Curves: {Settings.Curves}.");
        md.AppendLine($"- Sanity check: {Settings.Randomization}");
        md.AppendLine($"- Decomposition: {Settings.Decomposition}\n");
        if (Gates is { Count: > 0 })
        {
            md.AppendLine("## Gates by token type\n\nWrite gate b (z or i′) and keep gate a (1 − z or f′), mean over positions and channels.\n");
            md.AppendLine("| layer | token | mean b | sd b | mean a | positions |\n|---|---|---|---|---|---|");
            foreach (var g in Gates)
                md.AppendLine($"| {g.Layer} | {g.Type.ToString().ToLowerInvariant()} | {F(g.MeanWrite)} | {F(g.SdWrite)} | {F(g.MeanKeep)} | {g.Count} |");
            md.AppendLine();
        }
        else if (Memory is { Count: > 0 } && !SelectiveCopying)
            md.AppendLine($"## Gates by token type\n\nNot computed: marker, noise and data are the token roles of selective copying, not of {Task["name"]}.\n");
        if (Memory is { Count: > 0 })
        {
            md.AppendLine("## Memory horizon\n\nMean Π a over a lag τ; horizon = first τ with retention < 1/e.\n");
            md.AppendLine("| layer | horizon | retention τ=1 | τ=4 | τ=16 |\n|---|---|---|---|---|");
            foreach (var m in Memory)
                md.AppendLine($"| {m.Layer} | {(m.Horizon?.ToString(CultureInfo.InvariantCulture) ?? $"> {m.Retention.Length - 1}")} | {F(At(m.Retention, 1))} | {F(At(m.Retention, 4))} | {F(At(m.Retention, 16))} |");
            md.AppendLine();
        }
        md.AppendLine("## Hidden-state PCA\n\n| layer | PC1 | PC2 |\n|---|---|---|");
        foreach (var p in Pca) md.AppendLine($"| {p.Layer} | {F(p.ExplainedVariance[0])} | {F(p.ExplainedVariance[1])} |");
        md.AppendLine("\n## Figures\n");
        foreach (var f in Figures) md.AppendLine($"- [{f}]({f})");
        return md.ToString();
    }

    private bool SelectiveCopying => (string?)Task["name"] == MinRnn.Tasks.SelectiveCopying.FileName;

    /// <summary>The task in one phrase: selective copying's version-1 wording, else its name and options.</summary>
    private string TaskLine() => SelectiveCopying
        ? $"Selective copying T = {Task["seq_len"]}, K = {Task["tokens"]}, vocab {Task["vocab"]}"
        : $"Task {Task["name"]}: {string.Join(", ", Task.Where(p => p.Key != "name").Select(p => $"{p.Key} = {p.Value?.ToJsonString()}"))}";

    private static double At(double[] values, int i) => i < values.Length ? values[i] : double.NaN;
}
