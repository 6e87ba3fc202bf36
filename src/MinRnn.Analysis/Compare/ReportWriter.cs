using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MinRnn.Analysis.Statistics;

namespace MinRnn.Analysis.Compare;

/// <summary>stats.json and report.md of a comparison.</summary>
public static class ReportWriter
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string StatsJson(ComparisonReport report) => JsonSerializer.Serialize(report, Json);

    public static string Markdown(ComparisonReport r, IEnumerable<string> figures)
    {
        var md = new StringBuilder();
        md.AppendLine($"# MinRnn comparison: {r.Metric}\n");
        md.AppendLine($"{r.Runs} runs grouped by {string.Join(", ", r.By)}" + (r.Baseline is null ? "." : $"; pairs against baseline `{r.Baseline}`.") + "\n");
        md.AppendLine($"Direction: **{MetricOrder.Describe(r.Direction)}** for {r.Metric}; ranks count 1 as the best, and \"a better\" in the " +
                      $"pair table means a {(r.Direction == RankOrder.LowerIsBetter ? "lower" : "higher")} {r.Metric}.\n");
        md.AppendLine("## Groups\n");
        md.AppendLine("| group | rank | n | mean | sd | median | IQM | min–max | 95% t CI | 95% bootstrap BCa |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var g in r.Groups)
            md.AppendLine($"| {g.Label} | {F(g.Rank, 1)} | {g.N} | {F(g.Mean)} | {F(g.Sd)} | {F(g.Median)} | {F(g.Iqm)} | {F(g.Min)}–{F(g.Max)} | {Ci(g.TCi)} | {Ci(g.BootstrapCi.Bca)} |");
        if (r.Pairs.Count > 0)
        {
            md.AppendLine("\n## Pairs\n");
            md.AppendLine("| a vs b | Δ mean | Welch t (df) | p | p Holm | Mann–Whitney U | p | Hedges' g [95%] | Cliff's δ (a better) | P(a better) | ASO ε_min (a better) |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var p in r.Pairs)
                md.AppendLine($"| {p.Label} | {F(p.MeanDifference)} | {F(p.WelchT, 2)} ({F(p.WelchDf, 1)}) | {P(p.WelchP)} | {P(p.PHolm)} | " +
                              $"{F(p.MannWhitneyU, 1)} | {P(p.MannWhitneyP)} | {F(p.HedgesG, 2)} {Ci(p.HedgesGCi, 2)} | {F(p.CliffsDelta, 2)} | " +
                              $"{F(p.ProbabilityOfImprovement, 2)} | {F(p.AsoEpsilon, 2)} |");
        }
        if (r.Friedman is { } f)
        {
            md.AppendLine($"\n## Across task settings\n\nFriedman χ² = {F(f.ChiSquare, 3)}, df = {f.Df}, p = {P(f.P)} over {f.Blocks.Length} settings " +
                          $"({string.Join("; ", f.Blocks)}); Nemenyi critical difference (α = 0.05) = {F(f.CriticalDifference, 3)}.\n");
            md.AppendLine("| group | average rank (1 = best) |");
            md.AppendLine("|---|---:|");
            foreach (var (m, rank) in f.Methods.Zip(f.AverageRanks).OrderBy(x => x.Second))
                md.AppendLine($"| {m} | {F(rank, 3)} |");
        }
        if (r.Power.Count > 0)
        {
            md.AppendLine("\n## Power\n");
            foreach (var p in r.Power)
                md.AppendLine($"- with n = {p.PerGroup} runs per group, a two-sided t test at α = 0.05 has 80% power only for effects of |d| ≥ {F(p.MinimumDetectableEffect, 2)} standard deviations.");
        }
        md.AppendLine("\n## Figures\n");
        foreach (var fig in figures) md.AppendLine($"![{fig}]({fig})");
        if (r.Problems.Count > 0)
        {
            md.AppendLine("\n## Skipped\n");
            foreach (var p in r.Problems) md.AppendLine($"- {p}");
        }
        md.AppendLine($"\n## Method\n\n{r.Notes}");
        return md.ToString();
    }

    private static string F(double x, int digits = 4) =>
        double.IsNaN(x) ? "NaN" : x.ToString("F" + digits, CultureInfo.InvariantCulture);

    private static string P(double p) =>
        double.IsNaN(p) ? "NaN" : p < 1e-4 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : p.ToString("F4", CultureInfo.InvariantCulture);

    private static string Ci(double[] ci, int digits = 4) => $"[{F(ci[0], digits)}, {F(ci[1], digits)}]";
}
