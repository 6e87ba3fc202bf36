using System.Globalization;
using MinRnn.Analysis.Compare;
using MinRnn.Studies;
using Spectre.Console;

namespace MinRnn.Cli.Reports;

/// <summary>The console half of a comparison (`minrnn compare`, `minrnn study`): the headline table, one row per group,
/// and where the files went (Studies.ComparisonFiles writes them).</summary>
public static class ComparisonTable
{
    public static void Print(ComparisonReport r, string outDir, IReadOnlyList<string> figures)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"{r.Metric} by {string.Join(", ", r.By)} ({MetricOrder.Describe(r.Direction)})");
        foreach (var h in new[] { "group", "rank", "n", "mean", "sd", "IQM", "95% t CI", "95% BCa CI" }) table.AddColumn(h);
        foreach (var g in r.Groups)
            table.AddRow(new[] { g.Label, double.IsNaN(g.Rank) ? "NaN" : g.Rank.ToString("0.#", CultureInfo.InvariantCulture), g.N.ToString(CultureInfo.InvariantCulture), F(g.Mean), F(g.Sd), F(g.Iqm),
                $"[{F(g.TCi[0])}, {F(g.TCi[1])}]", $"[{F(g.BootstrapCi.Bca[0])}, {F(g.BootstrapCi.Bca[1])}]" }.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
        Console.WriteLine($"→ {Path.Combine(outDir, ComparisonFiles.Report)}, {Path.Combine(outDir, ComparisonFiles.Stats)}, {string.Join(", ", figures)}");
    }

    private static string F(double x) => double.IsNaN(x) ? "NaN" : x.ToString("F3", CultureInfo.InvariantCulture);
}
