using MinRnn.Runs;
using System.Globalization;
using System.Text;

namespace MinRnn.Analysis.Compare;

/// <summary>One model (at one depth) on one task: mean accuracy over seeds at the training length and at each
/// length-generalisation factor, and whether the mean reaches the "solved" threshold there.</summary>
public sealed record TaskSuiteRow(string Task, string Model, int Layers, int Seeds, double[] Accuracy, bool[] Solved);

/// <summary>The task × model table of a multi-task study, and what it says in words.</summary>
public sealed record TaskSuiteReport(double Threshold, int[] Factors, List<TaskSuiteRow> Rows, List<string> Findings);

/// <summary>Reads a task suite out of finished runs (fields task, model, layers; metrics test_accuracy and
/// accuracy_Kx from the study's length-generalisation evaluations).</summary>
public static class TaskSuite
{
    /// <summary>Mean accuracy at which a task counts as solved.</summary>
    public const double SolvedThreshold = 0.90;

    /// <summary>The table and its findings. `baselines` maps each min model to the classic RNN it simplifies
    /// (the cell registry's pairs); the findings compare the two groups at the same depth.</summary>
    public static TaskSuiteReport Compute(IEnumerable<RunRecord> runs, int[] factors, IReadOnlyDictionary<string, string> baselines)
    {
        var rows = runs.Where(r => r.Fields.ContainsKey(RunFields.Task) && r.Metrics.ContainsKey(RunFields.TestAccuracy))
            .GroupBy(r => (Task: r.Fields["task"], Model: r.Fields["model"], Layers: int.Parse(r.Fields["layers"], CultureInfo.InvariantCulture)))
            .OrderBy(g => g.Key.Task, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Layers)
            .Select(g =>
            {
                var accuracy = new[] { RunFields.TestAccuracy }.Concat(factors.Select(f => $"{RunFields.Accuracy}_{f}x"))
                    .Select(m => g.Select(r => r.Metrics.GetValueOrDefault(m, double.NaN)).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average())
                    .ToArray();
                return new TaskSuiteRow(g.Key.Task, g.Key.Model, g.Key.Layers, g.Count(), accuracy, accuracy.Select(a => a >= SolvedThreshold).ToArray());
            }).ToList();
        return new TaskSuiteReport(SolvedThreshold, factors, rows, Findings(rows, factors, baselines));
    }

    /// <summary>Sentences drawn from the table: per task, who solves it at the training length; where a min model
    /// misses what a classic RNN of the same depth solves (and the reverse); and where solving does not survive longer inputs.</summary>
    public static List<string> Findings(List<TaskSuiteRow> rows, int[] factors, IReadOnlyDictionary<string, string> baselines)
    {
        var findings = new List<string>();
        foreach (var task in rows.GroupBy(r => r.Task))
        {
            var solved = task.Where(r => r.Solved[0]).Select(Name).ToList();
            findings.Add($"{task.Key}: solved at the training length by {(solved.Count == 0 ? "no model" : string.Join(", ", solved))}; " +
                         $"best {Name(task.MaxBy(r => r.Accuracy[0])!)} {F(task.Max(r => r.Accuracy[0]))}.");
            foreach (var depth in task.GroupBy(r => r.Layers))
            {
                var classic = depth.Where(r => baselines.Values.Contains(r.Model)).ToList();
                var min = depth.Where(r => baselines.ContainsKey(r.Model)).ToList();
                if (classic.Count == 0 || min.Count == 0) continue;
                var best = classic.MaxBy(r => r.Accuracy[0])!;
                var behind = min.Where(r => !r.Solved[0] && best.Solved[0]).ToList();
                if (behind.Count > 0)
                    findings.Add($"  min models fall behind on {task.Key} at {depth.Key} layer(s): {string.Join(", ", behind.Select(r => $"{r.Model} {F(r.Accuracy[0])}"))} " +
                                 $"against {best.Model} {F(best.Accuracy[0])}.");
                var ahead = min.Where(r => r.Solved[0] && classic.All(c => !c.Solved[0])).ToList();
                if (ahead.Count > 0)
                    findings.Add($"  min models ahead on {task.Key} at {depth.Key} layer(s): {string.Join(", ", ahead.Select(r => $"{r.Model} {F(r.Accuracy[0])}"))} " +
                                 $"where neither GRU nor LSTM reaches {F(SolvedThreshold)} (best {best.Model} {F(best.Accuracy[0])}).");
            }
            for (var i = 0; i < factors.Length; i++)
            {
                var lost = task.Where(r => r.Solved[0] && !r.Solved[i + 1] && !double.IsNaN(r.Accuracy[i + 1])).ToList();
                if (lost.Count > 0)
                    findings.Add($"  at {factors[i]}× the training length {task.Key} is no longer solved by {string.Join(", ", lost.Select(r => $"{Name(r)} ({F(r.Accuracy[i + 1])})"))}.");
            }
        }
        return findings;
    }

    public static string Markdown(TaskSuiteReport r, IEnumerable<string> figures, IEnumerable<string> taskReports)
    {
        var md = new StringBuilder();
        md.AppendLine("# MinRnn task suite\n");
        md.AppendLine($"Mean test accuracy over seeds at the training length T and at {string.Join(" and ", r.Factors.Select(f => $"{f}×T"))}; " +
                      $"**bold** = solved (mean ≥ {F(r.Threshold)}). Per-task statistics: {string.Join(", ", taskReports.Select(t => $"[{t}]({t}/report.md)"))}; " +
                      "across tasks: [report.md](report.md) (Friedman over tasks, critical-difference diagram).\n");
        md.AppendLine($"| task | model | layers | seeds | T | {string.Join(" | ", r.Factors.Select(f => $"{f}×T"))} |");
        md.AppendLine($"|---|---|---:|---:|---:|{string.Concat(r.Factors.Select(_ => "---:|"))}");
        foreach (var row in r.Rows)
            md.AppendLine($"| {row.Task} | {row.Model} | {row.Layers} | {row.Seeds} | {string.Join(" | ", row.Accuracy.Select((a, i) => row.Solved[i] ? $"**{F(a)}**" : F(a)))} |");
        md.AppendLine("\n## Solved (mean accuracy ≥ " + F(r.Threshold) + ")\n");
        var methods = r.Rows.Select(Name).Distinct().ToList();
        md.AppendLine($"| task | {string.Join(" | ", methods)} |");
        md.AppendLine($"|---|{string.Concat(methods.Select(_ => "---|"))}");
        foreach (var task in r.Rows.GroupBy(x => x.Task))
            md.AppendLine($"| {task.Key} | {string.Join(" | ", methods.Select(m => task.FirstOrDefault(x => Name(x) == m) is { } x ? Marks(x) : "–"))} |");
        md.AppendLine($"\nEach cell: solved at T / {string.Join(" / ", r.Factors.Select(f => $"{f}×T"))} (✓ solved, · not).\n");
        md.AppendLine("## Findings\n");
        foreach (var f in r.Findings) md.AppendLine(f.StartsWith("  ", StringComparison.Ordinal) ? $"  - {f.Trim()}" : $"- {f}");
        md.AppendLine();
        foreach (var fig in figures) md.AppendLine($"![{fig}]({fig})\n");
        return md.ToString();
    }

    private static string Name(TaskSuiteRow r) => $"{r.Model} L{r.Layers}";

    private static string Marks(TaskSuiteRow r) => string.Join(" / ", r.Solved.Select((s, i) => double.IsNaN(r.Accuracy[i]) ? "?" : s ? "✓" : "·"));

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("F3", CultureInfo.InvariantCulture);
}
