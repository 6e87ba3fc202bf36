using MinRnn.Runs;
using MinRnn.Cells;
using MinRnn.Analysis.Compare;
using MinRnn.Training;

namespace MinRnn.Studies;

/// <summary>The analysis half of `minrnn study` over tasks: every finished run evaluated at 2× and 4× its training
/// length, a comparison per task (DIR/TASK/), one across tasks (DIR/report.md: Friedman over tasks with the
/// critical-difference diagram), and the task × model table with findings and small multiples (DIR/suite.md).</summary>
public static class TaskSuiteFiles
{
    /// <summary>The report to read first: the task × model table and the findings.</summary>
    public const string Markdown = "suite.md";

    public static TaskSuiteReport Write(string runsDir, string reportDir, string device, Action<string> log)
    {
        var runs = Directory.EnumerateDirectories(runsDir).Where(d => File.Exists(Path.Combine(d, RunFiles.Summary))).Order(StringComparer.Ordinal).ToList();
        var resolved = Devices.Resolve(device);
        for (var i = 0; i < runs.Count; i++)
        {
            var written = RunEvaluation.LengthGeneralisation(runs[i], RunEvaluation.StudyFactors, resolved);
            if (written > 0) log($"[{i + 1}/{runs.Count}] {Path.GetFileName(runs[i])}: evaluated at {string.Join(", ", RunEvaluation.StudyFactors.Select(f => $"{f}×T"))}");
        }
        var (records, problems) = RunLoader.Load([runsDir]);
        foreach (var p in problems) log(p);
        var tasks = records.Select(r => r.Fields.GetValueOrDefault(RunFields.Task, "")).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var task in tasks)
            ComparisonFiles.Write([runsDir], Path.Combine(reportDir, task), RunFields.TestAccuracy, [RunFields.Model, RunFields.Layers], baseline: null, force: true, log,
                filter: r => r.Fields.GetValueOrDefault(RunFields.Task) == task);
        ComparisonFiles.Write([runsDir], reportDir, RunFields.TestAccuracy, [RunFields.Model, RunFields.Layers], baseline: null, force: true, log);

        var suite = TaskSuite.Compute(records, RunEvaluation.StudyFactors, CellKinds.All.Where(k => k.IsMin).ToDictionary(k => k.Name, k => k.Baseline!));
        var figures = new[]
        {
            SuiteFigures.LengthGeneralisation(suite, reportDir),
            SuiteFigures.LearningCurves(records, SuiteFigures.CurveAxis.Steps, reportDir),
            SuiteFigures.LearningCurves(records, SuiteFigures.CurveAxis.Seconds, reportDir),
        }.OfType<string>();
        RunFiles.WriteAtomic(Path.Combine(reportDir, Markdown), TaskSuite.Markdown(suite, figures, tasks));
        RunFiles.WriteAtomic(Path.Combine(reportDir, "suite.json"), System.Text.Json.JsonSerializer.Serialize(suite, ReportWriter.Json));
        return suite;
    }
}
