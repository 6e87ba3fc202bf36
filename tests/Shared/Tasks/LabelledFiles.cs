using System.Text.Json;
using MinRnn.Tasks;

namespace MinRnn.Tests.Tasks;

/// <summary>Labelled JSONL rows with a known rule, for the file-backed tasks: strings over "xyz" of 3–20 characters;
/// classify's label says whether x outnumbers y, label's labels mark each x. Seeded, so a file is the same every run.</summary>
public static class LabelledFiles
{
    public static string Text(int row, long seed)
    {
        var random = new Random((int)(seed * 7919 + row));
        return string.Concat(Enumerable.Range(0, random.Next(3, 21)).Select(_ => "xyz"[random.Next(3)]));
    }

    public static string ClassOf(string text) => text.Count(c => c == 'x') > text.Count(c => c == 'y') ? "many-x" : "few-x";

    public static string[] StepsOf(string text) => [.. text.Select(c => c == 'x' ? "x" : "other")];

    /// <summary>`rows` rows for a task (classify: "label", label: "labels") written to the folder.</summary>
    public static string Write(TempFolder folder, string taskName, int rows, long seed = 1, string file = "rows.jsonl")
    {
        var lines = Enumerable.Range(0, rows).Select(i => Text(i, seed)).Select(s => taskName == StepLabels.TaskName
            ? JsonSerializer.Serialize(new { input = s, labels = StepsOf(s) })
            : JsonSerializer.Serialize(new { input = s, label = ClassOf(s) }));
        var path = folder[file];
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The task over 200 such rows, a seeded 10% held out.</summary>
    public static IFileTask Task(TempFolder folder, string taskName) =>
        ((IFileTask)TaskRegistry.Find(taskName).Quick).WithFiles(new TaskFiles(Write(folder, taskName, 200, file: taskName + ".jsonl")));
}
