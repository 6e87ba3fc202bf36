using MinRnn.Runs;
using MinRnn.Analysis.Compare;
using MinRnn.Analysis.Statistics;
using MinRnn.Studies;
using MinRnn.Cli.Reports;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn compare: statistics over repeated runs, as a console table, report.md, stats.json and figures.</summary>
public static class CompareCommand
{
    public const string Usage = """
        minrnn compare --runs DIR [DIR …] --out DIR [--metric test_accuracy] [--by model,layers] [--baseline MODEL]
                       [--direction higher|lower] [--force]
            reads every summary.json below the folders (and metrics.jsonl for curves, explain.json for explanation scores:
            metric explain.METHOD.SCORE), groups runs by --by, writes report.md, stats.json and PNG figures to --out
            fields for --by: task, model, layers, seq_len, tokens, vocab, steps, seed, dim, expansion, scan;
            metrics also accuracy_2x, accuracy_4x … from the run's eval files at multiples of its training length
            --direction: which end of the metric is better (ranks, Cliff's δ, P(a better), ASO); default: the direction a
            task declares for its own metric (test_bpc lower, test_macro_f1 higher), else from the name: *loss, *bpc,
            *perplexity, *error, *seconds lower is better (final_loss, train_seconds), others higher
            --baseline MODEL: each group is tested against that model's group with the same other fields (e.g. a min cell against its classic RNN)
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
        var (report, figures) = ComparisonFiles.Write(runDirs, outDir, args.String("--metric") ?? RunFields.TestAccuracy, by, args.String("--baseline"),
            args.Flag("--force"), p => Console.Error.WriteLine($"minrnn compare: {p}"), direction: direction);
        if (report.Groups.Count == 0) return 1;
        ComparisonTable.Print(report, outDir, figures);
        return 0;
    }

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
