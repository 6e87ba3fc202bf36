using System.Globalization;
using System.Text;
using MinRnn.Tasks;

namespace MinRnn.Explain.Study;

/// <summary>Writes an explain report: OUT/explain.md (the numbers as tables) and OUT/explain.json (every score with
/// its settings), explain.json last, since it marks a complete output.</summary>
public static class ExplainReportWriter
{
    public const string JsonFile = MinRnn.Runs.RunFileNames.Explain;
    public const string MarkdownFile = "explain.md";

    public static void Write(ExplainReport report, string dir)
    {
        File.WriteAllText(Path.Combine(dir, MarkdownFile), Markdown(report));
        File.WriteAllText(Path.Combine(dir, JsonFile), report.ToJson());
    }

    private static string F(double x) => double.IsNaN(x) ? "–" : x.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>OUT/explain.md: the same numbers as tables.</summary>
    public static string Markdown(ExplainReport r)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Explanations: {r.Model} × {r.Layers} (`{r.Run}`)\n");
        md.AppendLine($"{TaskLine(r)}; {r.Samples} evaluation examples (seed {r.Seed}), " +
                      $"{r.Methods.Values.FirstOrDefault()?.Cases ?? 0} cases; model accuracy on them {F(r.Accuracy)}.\n");
        md.AppendLine($"Target: {r.Settings.Target}. Relevance: {r.Settings.Relevance}. Ground truth: {r.Settings.GroundTruth}.\n");
        md.AppendLine("| method | pointing game | relevance mass | relevance rank | deletion AUC ↓ | insertion AUC ↑ | randomisation ρ ↓ | IG delta (rel., max rel.) | s |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, s) in r.Methods)
            md.AppendLine($"| {name} | {F(s.PointingGame)} | {F(s.RelevanceMass)} | {F(s.RelevanceRank)} | {F(s.DeletionAuc)} | {F(s.InsertionAuc)} | " +
                          $"{F(s.RandomizationRankCorr)} | {(s.IgCompletenessDelta is { } d ? $"{d:E2} ({s.IgCompletenessRelative:E2}, {s.IgCompletenessMaxRelative:E2})" : "")} | {F(s.Seconds)} |");
        md.AppendLine($"| chance (uniform) | {F(r.Settings.Chance)} | {F(r.Settings.Chance)} | {F(r.Settings.Chance)} | | | | | |\n");
        md.AppendLine($"- IG: {r.Settings.IgRule}, n = {r.Settings.IgSteps}" + (r.Settings.IgKinkGrid is { } grid ? $", kink grid M = {grid}" : "") +
                      (r.Settings.IgNodesMean is { } nodes ? $", {nodes:F0} nodes per example (max {r.Settings.IgNodesMax})" : "") +
                      $", baseline {r.Settings.IgBaseline}{(r.Settings.IgBaseline == "noise" && Explanation(r) is null ? $" (the task's filler token {r.Settings.OcclusionToken})" : "")}; " +
                      "delta = mean |Σ attr − (F(x) − F(x'))|, rel. = / mean |F(x) − F(x')|, max rel. = largest |delta| / |F(x) − F(x')| of one case.");
        md.AppendLine($"- Occlusion replaces one token by token {r.Settings.OcclusionToken} ({Explanation(r)?.FillerName ?? "the task's filler"}). Curves: {r.Settings.Curves}.");
        md.AppendLine($"- Sanity check: {r.Settings.Randomization}");
        md.AppendLine($"- Decomposition: {r.Settings.Decomposition}\n");
        if (r.Gates is { Count: > 0 })
        {
            md.AppendLine("## Gates by token type\n\nWrite gate b (z or i′) and keep gate a (1 − z or f′), mean over positions and channels.\n");
            md.AppendLine("| layer | token | mean b | sd b | mean a | positions |\n|---|---|---|---|---|---|");
            foreach (var g in r.Gates)
                md.AppendLine($"| {g.Layer} | {g.Type.ToString().ToLowerInvariant()} | {F(g.MeanWrite)} | {F(g.SdWrite)} | {F(g.MeanKeep)} | {g.Count} |");
            md.AppendLine();
        }
        else if (r.Memory is { Count: > 0 } && Explanation(r) is not { TokenRoles: true })
            md.AppendLine($"## Gates by token type\n\nNot computed: marker, noise and data are the token roles of selective copying, not of {r.Task["name"]}.\n");
        if (r.Memory is { Count: > 0 })
        {
            md.AppendLine("## Memory horizon\n\nMean Π a over a lag τ; horizon = first τ with retention < 1/e.\n");
            md.AppendLine("| layer | horizon | retention τ=1 | τ=4 | τ=16 |\n|---|---|---|---|---|");
            foreach (var m in r.Memory)
                md.AppendLine($"| {m.Layer} | {(m.Horizon?.ToString(CultureInfo.InvariantCulture) ?? $"> {m.Retention.Length - 1}")} | " +
                              $"{F(At(m.Retention, 1))} | {F(At(m.Retention, 4))} | {F(At(m.Retention, 16))} |");
            md.AppendLine();
        }
        md.AppendLine("## Hidden-state PCA\n\n| layer | PC1 | PC2 |\n|---|---|---|");
        foreach (var p in r.Pca) md.AppendLine($"| {p.Layer} | {F(p.ExplainedVariance[0])} | {F(p.ExplainedVariance[1])} |");
        md.AppendLine("\n## Figures\n");
        foreach (var f in r.Figures) md.AppendLine($"- [{f}]({f})");
        return md.ToString();
    }

    /// <summary>The report's task's own explain wording; null for the generic one, or when this version cannot read the task.</summary>
    private static TaskExplanation? Explanation(ExplainReport r)
    {
        try { return TaskJson.FromJson(r.Task).Explanation; }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Text.Json.JsonException) { return null; }
    }

    /// <summary>The task in one phrase: the task's own title (selective copying's version-1 wording), else its name and options.</summary>
    private static string TaskLine(ExplainReport r) => Explanation(r) is { } own
        ? own.Title
        : $"Task {r.Task["name"]}: {string.Join(", ", r.Task.Where(p => p.Key != "name").Select(p => $"{p.Key} = {p.Value?.ToJsonString()}"))}";

    private static double At(double[] values, int i) => i < values.Length ? values[i] : double.NaN;
}
