using System.Globalization;
using System.Text.Json;
using MinRnn.Tasks;

namespace MinRnn.Tests.Tasks;

/// <summary>Numeric labelled rows with a known rule: 3–12 steps of 3 features; feature 0 is centred noise, feature 1 a
/// large offset with a large spread (so standardisation matters), feature 2 a constant. classify's label is the sign of
/// the sum of feature 0 over the row; label's labels the sign of each step's feature 0. Seeded.</summary>
public static class NumericRows
{
    public const int Features = 3;

    public static float[][] Steps(int row, long seed)
    {
        var random = new Random((int)(seed * 7919 + row));
        return [.. Enumerable.Range(0, random.Next(3, 13)).Select(_ => new[]
        {
            (float)Math.Round(2 * random.NextDouble() - 1, 4), (float)Math.Round(100 + 50 * (2 * random.NextDouble() - 1), 3), 7f,
        })];
    }

    public static string ClassOf(float[][] steps) => steps.Sum(s => (double)s[0]) > 0 ? "pos" : "neg";

    public static string[] StepsOf(float[][] steps) => [.. steps.Select(s => s[0] > 0 ? "pos" : "neg")];

    public static string Line(float[][] steps, string taskName) => taskName == StepLabels.TaskName
        ? JsonSerializer.Serialize(new { input = steps, labels = StepsOf(steps) })
        : JsonSerializer.Serialize(new { input = steps, label = ClassOf(steps) });

    /// <summary>`rows` rows for a task written to the folder.</summary>
    public static string Write(TempFolder folder, string taskName, int rows, long seed = 1, string file = "numeric.jsonl")
    {
        var path = folder[file];
        File.WriteAllLines(path, Enumerable.Range(0, rows).Select(i => Line(Steps(i, seed), taskName)));
        return path;
    }

    /// <summary>A file's numeric steps as JSON reads them back (float32), by line.</summary>
    public static float[][][] Read(string path) =>
        [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("input").EnumerateArray()
            .Select(s => s.EnumerateArray().Select(x => float.Parse(x.GetRawText(), CultureInfo.InvariantCulture)).ToArray()).ToArray())];
}
