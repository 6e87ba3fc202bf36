using MinRnn.Analysis.Compare;
using MinRnn.Runs;
using MinRnn.Sweeps;

namespace MinRnn.Studies;

/// <summary>What a study compares: test accuracy by model and layers over one task (the preset's), a suite of tasks
/// (TaskSuiteFiles) or character language modelling (LmStudyFiles).</summary>
public enum StudyKind { Accuracy, Tasks, Lm }

/// <summary>`minrnn study`'s sequence: the grid trained into OUT/runs (resumable: the same call after an interruption
/// trains only what is missing), then the kind's report written into OUT/report. The caller checks the grid's runs
/// first (GridArgs.CheckRuns in the CLI).</summary>
public static class Study
{
    public const string Runs = "runs", Reports = "report";

    /// <summary>The sweep's outcome and the report the kind wrote (one of Comparison with its Figures, Tasks, Lm); Headline is
    /// the report file to read first.</summary>
    public sealed record Result(SweepExecution.Outcome Sweep, string ReportDir, ComparisonReport? Comparison, IReadOnlyList<string> Figures,
        TaskSuiteReport? Tasks, LmSuiteReport? Lm)
    {
        public string Headline => Path.Combine(ReportDir, Lm is not null ? LmStudyFiles.Markdown : Tasks is not null ? TaskSuiteFiles.Markdown : ComparisonFiles.Report);

        /// <summary>Every run trained and the report has rows.</summary>
        public bool Complete => Sweep.Failed == 0 && (Comparison?.Groups.Count ?? Tasks?.Rows.Count ?? Lm?.Rows.Count ?? 0) > 0;
    }

    /// <param name="device">Where the reports' length evaluations run (auto|cpu|cuda).</param>
    /// <param name="sweepLog">The sweep's progress lines.</param>
    /// <param name="swept">Told the sweep's outcome before the report is written (which may still fail: no run to compare).</param>
    /// <param name="reportLog">The report's progress lines and problems (runs skipped).</param>
    public static Result Run(string outDir, SweepGrid grid, StudyKind kind, int jobs, int threadsPerJob, string device,
        CancellationToken cancel, Action<string> sweepLog, Action<SweepExecution.Outcome> swept, Action<string> reportLog)
    {
        var (runsDir, reportDir) = (Path.Combine(outDir, Runs), Path.Combine(outDir, Reports));
        var sweep = SweepExecution.Run(SweepExecution.Prepare(runsDir, grid, jobs, threadsPerJob), grid, SweepShard.Whole, cancel, sweepLog);
        swept(sweep);
        switch (kind)
        {
            case StudyKind.Lm:
                return new(sweep, reportDir, null, [], null, LmStudyFiles.Write(runsDir, reportDir, device, reportLog));
            case StudyKind.Tasks:
                return new(sweep, reportDir, null, [], TaskSuiteFiles.Write(runsDir, reportDir, device, reportLog), null);
            default:
                var (report, figures) = ComparisonFiles.Write([runsDir], reportDir, RunFields.TestAccuracy, [RunFields.Model, RunFields.Layers],
                    baseline: null, force: true, reportLog);
                return new(sweep, reportDir, report, figures, null, null);
        }
    }
}
