using MinRnn.Runs;
using System.Globalization;
using System.Text;
using MinRnn.Analysis.Statistics;

namespace MinRnn.Analysis.Compare;

/// <summary>One model of a language-modelling study: its width and parameter count, held-out bits per character over
/// seeds (mean, sd, 95% t interval) and the mean at each multiple of the training context (Bpc[0] = 1×).</summary>
public sealed record LmRow(string Model, int Seeds, int Dim, long Parameters, double TestBpc, double Sd, double[] TCi, double[] Bpc, double[] BpcSd);

/// <summary>The table of `minrnn study --suite lm` (docs/LM.md): one row per model, best (lowest test_bpc) first.</summary>
public sealed record LmSuiteReport(int[] Factors, List<LmRow> Rows);

/// <summary>Reads the language-modelling table out of finished runs (metrics test_bpc, parameters, dim and bpc_Kx from
/// the study's evaluations at K × the training context).</summary>
public static class LmSuite
{
    /// <summary>The context lengths, as multiples of the training context, at which every run is evaluated (1× is its test_bpc).</summary>
    public static readonly int[] Factors = [1, 2, 4, 8];

    public static LmSuiteReport Compute(IEnumerable<RunRecord> runs)
    {
        var rows = runs.Where(r => r.Metrics.ContainsKey(RunFields.TestBpc))
            .GroupBy(r => r.Fields["model"])
            .Select(g =>
            {
                var bpc = g.Select(r => r.Metrics[RunFields.TestBpc]).ToList();
                var byFactor = Factors.Select(f => g.Select(r => r.Metrics.GetValueOrDefault(f == 1 ? RunFields.TestBpc : $"{RunFields.Bpc}_{f}x", double.NaN))
                    .Where(v => !double.IsNaN(v)).ToList()).ToList();
                var ci = bpc.Count >= 2 ? Descriptive.MeanConfidenceInterval(bpc) : (double.NaN, double.NaN);
                return new LmRow(g.Key, g.Count(), (int)g.Max(r => r.Metrics.GetValueOrDefault("dim")), (long)g.Max(r => r.Metrics.GetValueOrDefault("parameters")),
                    Descriptive.Mean(bpc), bpc.Count >= 2 ? Descriptive.StandardDeviation(bpc) : double.NaN, [ci.Item1, ci.Item2],
                    [.. byFactor.Select(v => v.Count > 0 ? Descriptive.Mean(v) : double.NaN)],
                    [.. byFactor.Select(v => v.Count >= 2 ? Descriptive.StandardDeviation(v) : double.NaN)]);
            })
            .OrderBy(r => r.TestBpc).ThenBy(r => r.Model, StringComparer.Ordinal).ToList();
        return new LmSuiteReport(Factors, rows);
    }

    /// <summary>lm.md: the model table, the length table, the pairwise tests of the comparison (report.md holds all of
    /// its statistics) and the figures.</summary>
    public static string Markdown(LmSuiteReport r, ComparisonReport comparison, IEnumerable<string> figures)
    {
        var md = new StringBuilder();
        md.AppendLine("# MinRnn language-modelling study\n");
        md.AppendLine("Held-out bits per character (test_bpc, lower is better), mean over seeds with the 95% t interval; every model " +
                      "parameter-matched (`--params`). All statistics of the comparison: [report.md](report.md).\n");
        md.AppendLine("| model | d | parameters | seeds | test_bpc | sd | 95% t CI |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in r.Rows)
            md.AppendLine($"| {row.Model} | {row.Dim} | {row.Parameters.ToString(CultureInfo.InvariantCulture)} | {row.Seeds} | {F(row.TestBpc)} | {F(row.Sd)} | [{F(row.TCi[0])}, {F(row.TCi[1])}] |");
        md.AppendLine("\n## Beyond the training context\n");
        md.AppendLine("Bits per character on the same held-out text in windows of k × the training context (`minrnn eval --seq-len`), mean ± sd over seeds.\n");
        md.AppendLine($"| model | {string.Join(" | ", r.Factors.Select(f => $"{f}×"))} |");
        md.AppendLine($"|---|{string.Concat(r.Factors.Select(_ => "---:|"))}");
        foreach (var row in r.Rows)
            md.AppendLine($"| {row.Model} | {string.Join(" | ", row.Bpc.Select((b, i) => $"{F(b)} ± {F(row.BpcSd[i])}"))} |");
        if (comparison.Pairs.Count > 0)
        {
            md.AppendLine("\n## Pairs\n");
            md.AppendLine("| a vs b | Δ mean test_bpc | Welch p | p Holm | P(a better) |");
            md.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var p in comparison.Pairs)
                md.AppendLine($"| {p.Label} | {F(p.MeanDifference)} | {P(p.WelchP)} | {P(p.PHolm)} | {F(p.ProbabilityOfImprovement)} |");
        }
        md.AppendLine();
        foreach (var fig in figures) md.AppendLine($"![{fig}]({fig})\n");
        return md.ToString();
    }

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("F3", CultureInfo.InvariantCulture);

    private static string P(double p) => double.IsNaN(p) ? "–" : p < 0.001 ? "< 0.001" : p.ToString("F3", CultureInfo.InvariantCulture);
}
