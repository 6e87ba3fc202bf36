using MinRnn.Runs;
using MinRnn.Cells;
using MinRnn.Analysis.Compare;
using MinRnn.Cli.Commands;
using MinRnn.Training;

namespace MinRnn.Cli.Reports;

/// <summary>The analysis half of `minrnn study` over tasks: every finished run evaluated at 2× and 4× its training
/// length, a comparison per task (DIR/TASK/), one across tasks (DIR/report.md: Friedman over tasks with the
/// critical-difference diagram), and the task × model table with findings and small multiples (DIR/suite.md).</summary>
public static class TaskSuiteStudy
{
    public static TaskSuiteReport Write(string runsDir, string reportDir, string device)
    {
        var runs = Directory.EnumerateDirectories(runsDir).Where(d => File.Exists(Path.Combine(d, RunFiles.Summary))).Order(StringComparer.Ordinal).ToList();
        var resolved = Devices.Resolve(device);
        for (var i = 0; i < runs.Count; i++)
        {
            var written = RunEvaluation.LengthGeneralisation(runs[i], RunEvaluation.StudyFactors, resolved);
            if (written > 0) Console.Error.WriteLine($"[{i + 1}/{runs.Count}] {Path.GetFileName(runs[i])}: evaluated at {string.Join(", ", RunEvaluation.StudyFactors.Select(f => $"{f}×T"))}");
        }
        var (records, problems) = RunLoader.Load([runsDir]);
        foreach (var p in problems) Console.Error.WriteLine($"minrnn study: {p}");
        var tasks = records.Select(r => r.Fields.GetValueOrDefault("task", "")).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var task in tasks)
            CompareCommand.Compare([runsDir], Path.Combine(reportDir, task), RunFields.TestAccuracy, [RunFields.Model, RunFields.Layers], baseline: null, force: true,
                filter: r => r.Fields.GetValueOrDefault("task") == task, print: false);
        CompareCommand.Compare([runsDir], reportDir, RunFields.TestAccuracy, [RunFields.Model, RunFields.Layers], baseline: null, force: true, print: false);

        var suite = TaskSuite.Compute(records, RunEvaluation.StudyFactors, CellKinds.All.Where(k => k.IsMin).ToDictionary(k => k.Name, k => k.Baseline!));
        var figures = new[]
        {
            SuiteFigures.LengthGeneralisation(suite, reportDir),
            SuiteFigures.LearningCurves(records, SuiteFigures.CurveAxis.Steps, reportDir),
            SuiteFigures.LearningCurves(records, SuiteFigures.CurveAxis.Seconds, reportDir),
        }.OfType<string>();
        RunFiles.WriteAtomic(Path.Combine(reportDir, "suite.md"), TaskSuite.Markdown(suite, figures, tasks));
        RunFiles.WriteAtomic(Path.Combine(reportDir, "suite.json"), System.Text.Json.JsonSerializer.Serialize(suite, ReportWriter.Json));
        return suite;
    }

    /// <summary>The console table: task × model/depth, accuracy at T / 2T / 4T, * = solved.</summary>
    public static void Print(TaskSuiteReport suite)
    {
        var methods = suite.Rows.Select(r => $"{r.Model} L{r.Layers}").Distinct().ToList();
        Console.WriteLine($"{"task",-20}" + string.Concat(methods.Select(m => $"{m,22}")));
        foreach (var task in suite.Rows.GroupBy(r => r.Task))
            Console.WriteLine($"{task.Key,-20}" + string.Concat(methods.Select(m => task.FirstOrDefault(r => $"{r.Model} L{r.Layers}" == m) is { } r
                ? $"{string.Join("/", r.Accuracy.Select((a, i) => (double.IsNaN(a) ? "  –  " : a.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)) + (r.Solved[i] ? "*" : " "))),22}"
                : $"{"–",22}")));
        Console.WriteLine($"accuracy at T / 2T / 4T (mean over seeds), * = solved (≥ {suite.Threshold:F2})");
    }
}
