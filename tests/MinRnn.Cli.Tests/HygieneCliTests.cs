using System.Diagnostics;
using System.Text.Json;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Tests.Cli;

/// <summary>Promises of the README with no other process test: `data --split eval`, `compare` as a process, Ctrl+C.</summary>
public class HygieneCliTests
{
    [Fact]
    public void DataEvalSplitIsTheRunsEvaluationSet()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "eval.jsonl");
        var (code, _, err) = MinrnnProcess.Run("data", "parity", "--count", "7", "--seq-len", "9", "--seed", "3", "--split", "eval", "--out", path);
        Assert.True(code == 0, err);
        using var batch = new Parity(SeqLen: 9).Sample(7, Seeds.Evaluation(3), TaskSplit.Evaluation);
        var inputs = batch.Inputs.data<long>().ToArray();
        var targets = batch.Targets.data<long>().ToArray();
        var rows = File.ReadAllLines(path);
        Assert.Equal(7, rows.Length);
        for (var r = 0; r < 7; r++)
        {
            using var row = JsonDocument.Parse(rows[r]);
            Assert.Equal(inputs.Skip(r * 10).Take(10), row.RootElement.GetProperty("input").EnumerateArray().Select(x => x.GetInt64()));
            Assert.Equal([targets[r * 10 + 9]], row.RootElement.GetProperty("target").EnumerateArray().Select(x => x.GetInt64()));
        }
    }

    [Fact]
    public void CompareAsAProcessWritesItsReportAndRefusesToOverwrite()
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");
        foreach (var (model, seed, accuracy) in new[] { ("gru", 0, 0.9), ("gru", 1, 0.8), ("mingru", 0, 0.5), ("mingru", 1, 0.6) })
        {
            var dir = Directory.CreateDirectory(Path.Combine(runs, $"{model}-s{seed}")).FullName;
            File.WriteAllText(Path.Combine(dir, "summary.json"),
                $$"""{ "model": "{{model}}", "layers": 1, "seed": {{seed}}, "steps": 10, "task": { "name": "parity", "seq_len": 8 }, "test_accuracy": {{accuracy}} }""");
        }
        var outDir = Path.Combine(temp.Path, "cmp");
        var (code, stdout, err) = MinrnnProcess.Run("compare", "--runs", runs, "--out", outDir, "--by", "task,model");
        Assert.True(code == 0, err);
        Assert.Contains("parity", stdout);
        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stats.json")));
        var groups = stats.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(0.85, groups.Single(g => g.GetProperty("label").GetString()!.Contains("gru") && !g.GetProperty("label").GetString()!.Contains("min")).GetProperty("mean").GetDouble(), 12);
        var before = File.ReadAllText(Path.Combine(outDir, "stats.json"));
        (code, _, err) = MinrnnProcess.Run("compare", "--runs", runs, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("already holds a comparison", err);
        Assert.Equal(before, File.ReadAllText(Path.Combine(outDir, "stats.json")));
    }

    [Fact]
    public async Task CtrlCStopsAfterAStepWithACheckpointAndExitCode130()
    {
        using var temp = new TempFolder();
        var dir = Path.Combine(temp.Path, "run");
        string[] args = ["train", "--model", "gru", "--layers", "1", "--task", "parity", "--seq-len", "8", "--dim", "8", "--batch", "8",
            "--steps", "100000", "--eval-every", "5", "--checkpoint-every", "100000", "--eval-size", "16", "--device", "cpu", "--threads", "1", "--out", dir];
        using var p = MinrnnProcess.Start(args, defaultInterrupt: true);   // also when the suite itself runs in the background
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var metrics = Path.Combine(dir, RunFiles.Metrics);                   // a few steps in: the first evaluation is written
        while (!(File.Exists(metrics) && File.ReadAllText(metrics).Contains('\n')) && !p.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
        var linesAtSignal = Lines(metrics);
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) MinrnnProcess.WaitOrKill(kill, "kill -INT");
        if (!p.WaitForExit(TimeSpan.FromSeconds(180)))                        // a cap, not a wait: it exits within seconds
        {
            var linesAtCap = Lines(metrics);                                 // still training (the signal lost) or stuck
            p.Kill(entireProcessTree: true);
            Assert.Fail($"no exit within 180 s after SIGINT (killed); metrics lines {linesAtSignal} at the signal, {linesAtCap} at the cap; " +
                        $"stderr: {await stderr}");
        }
        p.WaitForExit();
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("--resume", await stderr);
        await stdout;
        var state = Checkpoint.ReadState(dir);
        Assert.InRange(state.Step, 1, 99_999);                               // written at the step it stopped after
        Assert.False(File.Exists(Path.Combine(dir, RunFiles.Summary)));
    }

    private static int Lines(string path) => File.Exists(path) ? File.ReadAllText(path).Count(c => c == '\n') : 0;
}
