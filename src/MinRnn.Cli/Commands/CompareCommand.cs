using MinRnn.Runs;
using System.Globalization;
using MinRnn.Analysis.Compare;
using MinRnn.Analysis.Statistics;
using MinRnn.Studies;
using Spectre.Console;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn compare: statistics over repeated runs, as a console table, report.md, stats.json and figures.</summary>
public static class CompareCommand
{
    public const string Usage = """
        minrnn compare --runs DIR [DIR …] --out DIR [--metric test_accuracy] [--by model,layers] [--baseline gru]
                       [--direction higher|lower] [--force]
            reads every summary.json below the folders (and metrics.jsonl for curves, explain.json for explanation scores:
            metric explain.METHOD.SCORE), groups runs by --by, writes report.md, stats.json and PNG figures to --out
            fields for --by: task, model, layers, seq_len, tokens, vocab, steps, seed, dim, expansion, scan;
            metrics also accuracy_2x, accuracy_4x … from the run's eval files at multiples of its training length
            --direction: which end of the metric is better (ranks, Cliff's δ, P(a better), ASO); default: the direction a
            task declares for its own metric (test_bpc lower, test_macro_f1 higher), else from the name: *loss, *bpc,
            *perplexity, *error, *seconds lower is better (final_loss, train_seconds), others higher
        """;

    public static readonly OptionSet Options = new(["--out", "--metric", "--by", "--baseline", "--direction"], ["--force"], ["--runs"]);   // --runs DIR…: SplitRuns

    public static int Run(string[] argv)
    {
        var (runDirs, rest) = SplitRuns(argv);
        var args = new Args(rest, Options);
        if (runDirs.Count == 0) throw new UsageException("--runs: at least one folder required");
        var outDir = args.Required("--out");
        var by = (args.String("--by") ?? "model,layers").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (by.FirstOrDefault(f => !RunLoader.GroupFields.Contains(f)) is { } bad)
            throw new UsageException($"--by: '{bad}' is not one of {string.Join("|", RunLoader.GroupFields)}");
        RankOrder? direction = args.Has("--direction")
            ? args.Choice("--direction", "higher", ["higher", "lower"]) == "lower" ? RankOrder.LowerIsBetter : RankOrder.HigherIsBetter
            : null;
        var report = Compare(runDirs, outDir, args.String("--metric") ?? RunFields.TestAccuracy, by, args.String("--baseline"), args.Flag("--force"),
            direction: direction);
        return report.Groups.Count > 0 ? 0 : 1;
    }

    /// <summary>Runs the comparison and writes its files (Studies.ComparisonFiles), printing the table unless asked not to.</summary>
    public static ComparisonReport Compare(List<string> runDirs, string outDir, string metric, string[] by, string? baseline, bool force,
        Func<RunRecord, bool>? filter = null, bool print = true, RankOrder? direction = null)
    {
        var (report, figures) = ComparisonFiles.Write(runDirs, outDir, metric, by, baseline, force, p => Console.Error.WriteLine($"minrnn compare: {p}"), filter, direction);
        if (report.Groups.Count == 0) return report;
        if (print) Print(report);
        Console.WriteLine($"→ {Path.Combine(outDir, ComparisonFiles.Report)}, {Path.Combine(outDir, ComparisonFiles.Stats)}, {string.Join(", ", figures)}");
        return report;
    }

    /// <summary>The headline table: one row per group.</summary>
    public static void Print(ComparisonReport r)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"{r.Metric} by {string.Join(", ", r.By)} ({MetricOrder.Describe(r.Direction)})");
        foreach (var h in new[] { "group", "rank", "n", "mean", "sd", "IQM", "95% t CI", "95% BCa CI" }) table.AddColumn(h);
        foreach (var g in r.Groups)
            table.AddRow(new[] { g.Label, double.IsNaN(g.Rank) ? "NaN" : g.Rank.ToString("0.#", CultureInfo.InvariantCulture), g.N.ToString(CultureInfo.InvariantCulture), F(g.Mean), F(g.Sd), F(g.Iqm),
                $"[{F(g.TCi[0])}, {F(g.TCi[1])}]", $"[{F(g.BootstrapCi.Bca[0])}, {F(g.BootstrapCi.Bca[1])}]" }.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }

    private static string F(double x) => double.IsNaN(x) ? "NaN" : x.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>--runs takes every following argument up to the next option.</summary>
    private static (List<string> Runs, List<string> Others) SplitRuns(string[] argv)
    {
        var (runs, rest) = (new List<string>(), new List<string>());
        for (var i = 0; i < argv.Length; i++)
            if (argv[i] == "--runs")
                while (i + 1 < argv.Length && !argv[i + 1].StartsWith("--", StringComparison.Ordinal)) runs.Add(argv[++i]);
            else rest.Add(argv[i]);
        return (runs, rest);
    }
}
