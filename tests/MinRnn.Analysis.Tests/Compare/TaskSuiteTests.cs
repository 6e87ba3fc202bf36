using System.Globalization;
using MinRnn.Analysis.Compare;

namespace MinRnn.Analysis.Tests.Compare;

/// <summary>Multi-task studies: task fields and length-generalisation metrics read from run folders, the
/// task × model table, its findings, and Friedman with tasks as blocks.</summary>
public class TaskSuiteTests
{
    private static string Inv(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A finished run of a task with its accuracy at T and eval files at 2T and 4T.</summary>
    private static void Run(string root, string task, string model, int layers, int seed, double at1, double at2, double at4, int seqLen = 16)
    {
        var dir = Path.Combine(root, $"{task}-{model}-L{layers}-s{seed}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "summary.json"),
            $$"""{ "model": "{{model}}", "layers": {{layers}}, "seed": {{seed}}, "steps": 100,""" +
            $$""" "task": { "name": "{{task}}", "seq_len": {{seqLen}}, "alphabet": 4, "vocab": 5 }, "test_accuracy": {{Inv(at1)}} }""");
        File.WriteAllText(Path.Combine(dir, "metrics.jsonl"), $$"""{"step":100,"accuracy":{{Inv(at1)}},"elapsed_s":2.5}""" + "\n");
        foreach (var (factor, acc) in new[] { (2, at2), (4, at4) })
            File.WriteAllText(Path.Combine(dir, $"eval-T{seqLen * factor}.json"),
                $$"""{ "run": "x", "task": { "name": "{{task}}", "seq_len": {{seqLen * factor}} }, "accuracy": {{Inv(acc)}}, "sequence_accuracy": {{Inv(acc / 2)}} }""");
    }

    [Fact]
    public void LoaderReadsTaskFieldsLengthMetricsAndCurveSeconds()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        Run(root, "parity", "gru", 1, 0, 1.0, 0.75, 0.5);
        var (runs, problems) = RunLoader.Load([root]);
        Assert.Empty(problems);
        var r = Assert.Single(runs);
        Assert.Equal("parity", r.Fields["task"]);
        Assert.Equal("4", r.Fields["alphabet"]);
        Assert.Equal(0.75, r.Metrics["accuracy_2x"]);
        Assert.Equal(0.5, r.Metrics["accuracy_4x"]);
        Assert.Equal(0.25, r.Metrics["sequence_accuracy_4x"]);
        Assert.Equal(new CurvePoint(100, 1.0, 2.5), Assert.Single(r.Curve));
    }

    [Fact]
    public void VersionOneSelectiveCopyingIsTheTaskSelectiveCopy()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        var dir = Path.Combine(root, "r");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "summary.json"),
            """{ "model": "gru", "layers": 1, "seed": 0, "steps": 1, "task": { "name": "selective_copying", "seq_len": 64, "tokens": 4, "vocab": 16 }, "test_accuracy": 0.5 }""");
        Assert.Equal("selective-copy", Assert.Single(RunLoader.Load([root]).Runs).Fields["task"]);
    }

    [Fact]
    public void TableMeansSolvedMarksAndFindingsFollowTheNumbers()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        for (var seed = 0; seed < 2; seed++)
        {
            Run(root, "parity", "gru", 1, seed, 1.0, 0.95, 0.6);          // solved at T and 2T, lost at 4T
            Run(root, "parity", "mingru", 1, seed, 0.5, 0.5, 0.5);        // behind GRU
            Run(root, "majority", "gru", 1, seed, 0.8, 0.7, 0.6);         // nobody solves majority …
            Run(root, "majority", "mingru", 1, seed, 0.86 + 0.1 * seed, 0.9, 0.9);   // … except minGRU (mean 0.91)
        }
        var suite = TaskSuite.Compute(RunLoader.Load([root]).Runs, [2, 4], new Dictionary<string, string> { ["mingru"] = "gru", ["minlstm"] = "lstm" });
        Assert.Equal(4, suite.Rows.Count);
        var gru = suite.Rows.Single(r => r.Task == "parity" && r.Model == "gru");
        Assert.Equal([1.0, 0.95, 0.6], gru.Accuracy);
        Assert.Equal([true, true, false], gru.Solved);
        var min = suite.Rows.Single(r => r.Task == "majority" && r.Model == "mingru");
        Assert.Equal(0.91, min.Accuracy[0], 12);
        Assert.True(min.Solved[0]);

        var text = string.Join("\n", suite.Findings);
        Assert.Contains("parity: solved at the training length by gru L1;", text);
        Assert.Contains("min models fall behind on parity at 1 layer(s): mingru 0.500 against gru 1.000", text);
        Assert.Contains("min models ahead on majority at 1 layer(s): mingru 0.910", text);
        Assert.Contains("at 4× the training length parity is no longer solved by gru L1 (0.600)", text);
        Assert.DoesNotContain("fall behind on majority", text);
        var md = TaskSuite.Markdown(suite, [], ["majority", "parity"]);
        Assert.Contains("| parity | gru | 1 | 2 | **1.000** | **0.950** | 0.600 |", md);
    }

    [Fact]
    public void FriedmanTakesTasksAsBlocksWhenThereAreSeveral()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        var tasks = new[] { "parity", "majority", "even-pairs" };
        foreach (var (task, i) in tasks.Select((t, i) => (t, i)))
        {
            Run(root, task, "gru", 1, 0, 0.9 - 0.01 * i, 0, 0);
            Run(root, task, "mingru", 1, 0, 0.5 + 0.01 * i, 0, 0);
        }
        var (runs, problems) = RunLoader.Load([root]);
        var report = Comparison.Compute(runs, "test_accuracy", ["model"], null, problems);
        var f = report.Friedman!;
        Assert.Equal(3, f.Blocks.Length);
        Assert.All(f.Blocks, b => Assert.StartsWith("task=", b));
        Assert.Equal(["gru", "mingru"], f.Methods);
        Assert.Equal([1.0, 2.0], f.AverageRanks);                          // GRU best on every task
        // Friedman χ² for k = 2 methods, n = 3 blocks, same order everywhere: 12/(nk(k+1)) Σ R² − 3n(k+1) = 3
        Assert.Equal(3.0, f.ChiSquare, 12);
    }
}
