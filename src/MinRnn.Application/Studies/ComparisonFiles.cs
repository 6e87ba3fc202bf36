using MinRnn.Analysis.Compare;
using MinRnn.Analysis.Statistics;
using MinRnn.Runs;
using MinRnn.Runtime;
using MinRnn.Tasks;

namespace MinRnn.Studies;

/// <summary>A comparison over run folders written to OUT (report.md, stats.json and the figures, moved in only once all
/// exist): what `minrnn compare` prints and what every study writes. Bad input (an OUT that holds a comparison without
/// <c>force</c>, a missing folder, an unknown baseline) is an ArgumentException; no readable run is a BadFileException.</summary>
public static class ComparisonFiles
{
    public const string Report = "report.md";
    public const string Stats = "stats.json";

    /// <summary>The direction a registered task declares for a metric of its own (NAME in metrics and eval files,
    /// test_NAME in summary.json); null when no task declares it.</summary>
    public static RankOrder? TaskDirection(string metric) =>
        TaskRegistry.All.SelectMany(k => k.Quick.Metrics).FirstOrDefault(m => metric == m.Name || metric == RunFields.TestPrefix + m.Name) is { } own
            ? own.Direction == MetricDirection.LowerIsBetter ? RankOrder.LowerIsBetter : RankOrder.HigherIsBetter
            : null;

    /// <summary>Reads the runs below <paramref name="runDirs"/> (problems go to <paramref name="log"/>), compares them on
    /// <paramref name="metric"/> grouped by <paramref name="by"/> and writes the files; returns the report and the figures
    /// written (none when no run has the metric; the report then has no groups).</summary>
    public static (ComparisonReport Report, IReadOnlyList<string> Figures) Write(IReadOnlyList<string> runDirs, string outDir, string metric, string[] by,
        string? baseline, bool force, Action<string> log, Func<RunRecord, bool>? filter = null, RankOrder? direction = null)
    {
        if (File.Exists(Path.Combine(outDir, Stats)) && !force) throw new ArgumentException($"--out: {outDir} already holds a comparison (use --force to replace it)");
        foreach (var d in runDirs.Where(d => !Directory.Exists(d)))
            throw new ArgumentException($"--runs: {d} does not exist");
        var (runs, problems) = RunLoader.Load(runDirs);
        if (runs.Count == 0 && problems.Count > 0)                   // nothing to compare: the first problem is the error (bad input)
            throw new BadFileException($"no run to compare: {problems[0]}{(problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "")}");
        foreach (var p in problems) log(p);
        if (filter is not null) runs = runs.Where(filter).ToList();
        if (baseline is not null && !runs.Any(r => r.Fields[RunFields.Model] == baseline))
            throw new ArgumentException($"--baseline: no run of model '{baseline}' below {string.Join(", ", runDirs)}");
        var report = Comparison.Compute(runs, metric, by, baseline, problems, direction ?? TaskDirection(metric));
        if (report.Groups.Count == 0)
        {
            log($"no run with metric '{metric}' below {string.Join(", ", runDirs)}");
            return (report, []);
        }
        var figures = Durable.WriteAside(outDir, ".compare-new", stage =>
        {
            var written = new[] { Figures.Groups(report, stage), Figures.LearningCurves(runs, by, stage), Figures.ByLayers(report, stage), Figures.CriticalDifference(report, stage) }
                .OfType<string>().ToList();
            File.WriteAllText(Path.Combine(stage, Report), ReportWriter.Markdown(report, written));
            File.WriteAllText(Path.Combine(stage, Stats), ReportWriter.StatsJson(report));
            return written;
        }, last: Stats);
        return (report, figures);
    }
}
