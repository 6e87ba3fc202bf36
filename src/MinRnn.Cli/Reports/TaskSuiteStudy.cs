using System.Globalization;
using MinRnn.Analysis.Compare;

namespace MinRnn.Cli.Reports;

/// <summary>The console half of `minrnn study` over tasks: the task × model table (Studies.TaskSuiteFiles writes the files).</summary>
public static class TaskSuiteStudy
{
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
