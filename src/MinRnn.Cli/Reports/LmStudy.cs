using MinRnn.Runs;
using System.Globalization;
using MinRnn.Analysis.Compare;
using MinRnn.Cli.Commands;
using MinRnn.Training;

namespace MinRnn.Cli.Reports;

/// <summary>The analysis half of `minrnn study --suite lm` (docs/LM.md): every finished run evaluated at 2×, 4× and 8× its
/// training context, `compare` on test_bpc by model (intervals, pairwise tests: DIR/report.md), and DIR/lm.md with the
/// model table (width, parameters, bits per character), the length table, learning curves against steps and seconds.</summary>
public static class LmStudy
{
    /// <summary>The suite name: `--suite lm`.</summary>
    public const string Suite = "lm";

    public static LmSuiteReport Write(string runsDir, string reportDir, string device)
    {
        var runs = Directory.EnumerateDirectories(runsDir).Where(d => File.Exists(Path.Combine(d, RunFiles.Summary))).Order(StringComparer.Ordinal).ToList();
        var resolved = Devices.Resolve(device);
        var longer = LmSuite.Factors.Where(f => f > 1).ToArray();
        for (var i = 0; i < runs.Count; i++)
        {
            var written = RunEvaluation.LengthGeneralisation(runs[i], longer, resolved);
            if (written > 0) Console.Error.WriteLine($"[{i + 1}/{runs.Count}] {Path.GetFileName(runs[i])}: evaluated at {string.Join(", ", longer.Select(f => $"{f}×T"))}");
        }
        Directory.CreateDirectory(reportDir);
        var comparison = CompareCommand.Compare([runsDir], reportDir, RunFields.TestBpc, [RunFields.Model], baseline: null, force: true, print: false);
        var (records, _) = RunLoader.Load([runsDir]);
        var suite = LmSuite.Compute(records);
        var figures = new[]
        {
            LmFigures.LearningCurves(records, SuiteFigures.CurveAxis.Steps, reportDir),
            LmFigures.LearningCurves(records, SuiteFigures.CurveAxis.Seconds, reportDir),
            LmFigures.Lengths(suite, reportDir),
        }.OfType<string>();
        RunFiles.WriteAtomic(Path.Combine(reportDir, "lm.md"), LmSuite.Markdown(suite, comparison, figures));
        RunFiles.WriteAtomic(Path.Combine(reportDir, "lm.json"), System.Text.Json.JsonSerializer.Serialize(suite, ReportWriter.Json));
        return suite;
    }

    /// <summary>The console table: model, width, parameters, test_bpc with its interval, bits per character at each context.</summary>
    public static void Print(LmSuiteReport suite)
    {
        Console.WriteLine($"{"model",-12}{"d",6}{"params",10}{"test_bpc",10}{"95% t CI",20}" + string.Concat(suite.Factors.Select(f => $"{f + "×",8}")));
        foreach (var r in suite.Rows)
            Console.WriteLine($"{r.Model,-12}{r.Dim,6}{r.Parameters,10}{F(r.TestBpc),10}{$"[{F(r.TCi[0])}, {F(r.TCi[1])}]",20}" + string.Concat(r.Bpc.Select(b => $"{F(b),8}")));
        Console.WriteLine("bits per character on held-out text (lower is better), mean over seeds; 1×…8×: evaluation context / training context");
    }

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("F3", CultureInfo.InvariantCulture);
}
