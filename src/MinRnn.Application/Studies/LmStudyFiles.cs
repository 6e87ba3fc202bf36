using MinRnn.Runs;
using System.Globalization;
using MinRnn.Analysis.Compare;
using MinRnn.Training;

namespace MinRnn.Studies;

/// <summary>The analysis half of `minrnn study --suite lm` (docs/LM.md): every finished run evaluated at 2×, 4× and 8× its
/// training context, `compare` on test_bpc by model (intervals, pairwise tests: DIR/report.md), and DIR/lm.md with the
/// model table (width, parameters, bits per character), the length table, learning curves against steps and seconds.</summary>
public static class LmStudyFiles
{
    /// <summary>The report to read first: the model table, the length table and the learning curves.</summary>
    public const string Markdown = "lm.md";

    /// <summary>The suite name: `--suite lm`.</summary>
    public const string Suite = "lm";

    public static LmSuiteReport Write(string runsDir, string reportDir, string device, Action<string> log)
    {
        var runs = Directory.EnumerateDirectories(runsDir).Where(d => File.Exists(Path.Combine(d, RunFiles.Summary))).Order(StringComparer.Ordinal).ToList();
        var resolved = Devices.Resolve(device);
        var longer = LmSuite.Factors.Where(f => f > 1).ToArray();
        for (var i = 0; i < runs.Count; i++)
        {
            var written = RunEvaluation.LengthGeneralisation(runs[i], longer, resolved);
            if (written > 0) log($"[{i + 1}/{runs.Count}] {Path.GetFileName(runs[i])}: evaluated at {string.Join(", ", longer.Select(f => $"{f}×T"))}");
        }
        Directory.CreateDirectory(reportDir);
        var (comparison, _) = ComparisonFiles.Write([runsDir], reportDir, RunFields.TestBpc, [RunFields.Model], baseline: null, force: true, log);
        var (records, _) = RunLoader.Load([runsDir]);
        var suite = LmSuite.Compute(records);
        var figures = new[]
        {
            LmFigures.LearningCurves(records, SuiteFigures.CurveAxis.Steps, reportDir),
            LmFigures.LearningCurves(records, SuiteFigures.CurveAxis.Seconds, reportDir),
            LmFigures.Lengths(suite, reportDir),
        }.OfType<string>();
        RunFiles.WriteAtomic(Path.Combine(reportDir, Markdown), LmSuite.Markdown(suite, comparison, figures));
        RunFiles.WriteAtomic(Path.Combine(reportDir, "lm.json"), System.Text.Json.JsonSerializer.Serialize(suite, ReportWriter.Json));
        return suite;
    }
}
