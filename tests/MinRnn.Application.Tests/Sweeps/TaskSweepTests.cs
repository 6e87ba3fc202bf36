using System.Text.Json;

namespace MinRnn.Tests.Sweeps;

/// <summary>sweep and study over tasks: the grid's runs and their train arguments, a tiny study end to end, bad input.</summary>
public class TaskSweepTests
{
    [Fact]
    public void TaskGridNamesRunsByTaskSettingAndSeed()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var (code, stdout, err) = MinrnnProcess.Run(["sweep", "--out", dir, "--tasks", "parity,majority", "--task-opt", "seq_len=8,12",
            "--models", "gru,mingru", "--layers", "1", "--seeds", "2", "--dry-run"]);
        Assert.True(code == 0, err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 * 2 * 2 * 2, lines.Length);                          // tasks × models × lengths × seeds
        Assert.StartsWith("parity-gru-L1-T8-s0\tpending\tminrnn train --task parity --model gru --layers 1 --seed 0 --preset quick --task-opt seq_len=8", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("majority-mingru-L1-T12-s1\t", StringComparison.Ordinal));
    }

    [Fact]
    public void FileTaskOptionsPassThroughToEveryRun()
    {
        using var tmp = new TempFolder();
        var series = Tasks.SeriesFiles.Write(tmp, Tasks.SeriesFiles.Sine(400), "series.csv");
        var (code, stdout, err) = MinrnnProcess.Run(["sweep", "--out", tmp["sweep"], "--tasks", "forecast", "--data", series, "--target", "y",
            "--horizon", "3", "--season", "12", "--fill", "previous", "--models", "gru,mingru", "--layers", "1", "--seeds", "1", "--dry-run"]);
        Assert.True(code == 0, err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Contains($"--data {Path.GetFullPath(series)}", l));
        Assert.All(lines, l => Assert.Contains("--target y", l));
        Assert.All(lines, l => Assert.Contains("--horizon 3", l));
        Assert.All(lines, l => Assert.Contains("--season 12", l));
        Assert.All(lines, l => Assert.Contains("--fill previous", l));
    }

    [Theory]
    [InlineData("--tasks nope", "--tasks: 'nope' is not one of")]
    [InlineData("--suite regular", "--suite: 'regular' is not one of formal")]
    [InlineData("--task-opt seq_len=8", "--task-opt: needs --tasks or --suite")]
    [InlineData("--tasks parity --task-opt pairs=2", "--task-opt: parity has no option 'pairs'")]
    [InlineData("--tasks parity --tasks-opt x", "unknown option '--tasks-opt'")]
    [InlineData("--tasks associative-recall --task-opt seq_len=4", "--seq-len: 4 is too short for 8 pairs and 4 queries")]
    public void BadTaskGridsAreOneLineErrorsAndWriteNothing(string options, string message)
    {
        using var tmp = new TempFolder();
        var dir = tmp["sweep"];
        var (code, _, err) = MinrnnProcess.Run(["sweep", "--out", dir, "--models", "gru", "--layers", "1", "--seeds", "1", "--dry-run", .. options.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "sweep.json")));
    }

    [Fact]
    public void TinyStudyOverTasksWritesTheSuiteTableAndLengthEvaluations()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var (code, stdout, err) = MinrnnProcess.Run(["study", "--out", dir, "--tasks", "parity,missing-duplicate", "--task-opt", "seq_len=6",
            "--models", "gru,mingru", "--layers", "1", "--seeds", "2", "--steps", "20", "--eval-every", "10", "--eval-size", "32",
            "--dim", "8", "--batch", "16", "--device", "cpu", "--jobs", "2"]);
        Assert.True(code == 0, err);
        Assert.Contains("accuracy at T / 2T / 4T", stdout);
        var run = Path.Combine(dir, "runs", "parity-gru-L1-T6-s0");
        foreach (var length in new[] { 12, 24 })
        {
            using var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, $"eval-T{length}.json")));
            Assert.Equal(length, eval.RootElement.GetProperty("task").GetProperty("seq_len").GetInt32());
            Assert.InRange(eval.RootElement.GetProperty("accuracy").GetDouble(), 0, 1);
        }
        var suite = File.ReadAllText(Path.Combine(dir, "report", "suite.md"));
        Assert.Contains("| parity | mingru | 1 | 2 |", suite);
        Assert.Contains("| missing-duplicate | gru | 1 | 2 |", suite);
        foreach (var file in new[] { "report.md", "critical_difference.png", "suite_lengths.png", "suite_curves_steps.png", "suite_curves_seconds.png",
                     Path.Combine("parity", "report.md"), Path.Combine("missing-duplicate", "stats.json") })
            Assert.True(File.Exists(Path.Combine(dir, "report", file)), file);
        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report", "stats.json")));
        Assert.Equal(2, stats.RootElement.GetProperty("friedman").GetProperty("blocks").GetArrayLength());   // the two tasks
    }
}
