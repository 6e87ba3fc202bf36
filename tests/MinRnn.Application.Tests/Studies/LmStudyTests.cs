using System.Text.Json;
using MinRnn.Tests.Tasks;

namespace MinRnn.Tests.Studies;

/// <summary>`minrnn study --suite lm` end to end on a tiny text with a tiny budget: parameter-matched runs, evaluations at
/// 2×, 4×, 8× the training context, the comparison on test_bpc, lm.md with its tables and figures; a rerun trains nothing.</summary>
public class LmStudyTests
{
    [Fact]
    public void TinyLmStudyWritesTheTablesAndFiguresAndResumes()
    {
        using var tmp = new TempFolder();
        var text = tmp["text.txt"];
        File.WriteAllText(text, MarkovText.Generate(3000, seed: 5));
        string[] args = ["study", "--suite", "lm", "--data", text, "--out", tmp["study"], "--models", "mingru,gru,transformer", "--seeds", "2",
            "--layers", "1", "--params", "20000", "--task-opt", "seq_len=8", "--steps", "6", "--eval-every", "3", "--eval-size", "16",
            "--batch", "8", "--device", "cpu", "--jobs", "2"];
        var (code, stdout, err) = MinrnnProcess.Run(args);
        Assert.True(code == 0, err);
        Assert.Contains("bits per character on held-out text", stdout);

        var report = Path.Combine(tmp["study"], "report");
        using var lm = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "lm.json")));
        var rows = lm.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["gru", "mingru", "transformer"], rows.Select(r => r.GetProperty("model").GetString()).Order());
        foreach (var row in rows)
        {
            Assert.Equal(2, row.GetProperty("seeds").GetInt32());
            Assert.InRange(row.GetProperty("parameters").GetInt64(), 19_000, 21_000);
            Assert.Equal(4, row.GetProperty("bpc").GetArrayLength());
            foreach (var bpc in row.GetProperty("bpc").EnumerateArray())
                Assert.InRange(bpc.GetDouble(), 0.1, Math.Log2(6) + 1);           // near or below uniform over 6 tokens after 6 steps
        }
        var run = Path.Combine(tmp["study"], "runs", "char-lm-gru-L1-T8-s1");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal(20_000, summary.RootElement.GetProperty("params_target").GetInt64());
        Assert.Equal(summary.RootElement.GetProperty("dim").GetInt32(), summary.RootElement.GetProperty("config").GetProperty("model").GetProperty("dim").GetInt32());
        foreach (var length in new[] { 16, 32, 64 })
        {
            using var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, $"eval-T{length}.json")));
            Assert.Equal(length, eval.RootElement.GetProperty("task").GetProperty("seq_len").GetInt32());
            Assert.Equal(eval.RootElement.GetProperty("loss").GetDouble() / Math.Log(2), eval.RootElement.GetProperty("bpc").GetDouble(), 9);
        }
        var markdown = File.ReadAllText(Path.Combine(report, "lm.md"));
        Assert.Contains("| model | d | parameters | seeds | test_bpc | sd | 95% t CI |", markdown);
        Assert.Contains("## Beyond the training context", markdown);
        foreach (var file in new[] { "report.md", "stats.json", "lm_curves_steps.png", "lm_curves_seconds.png", "lm_lengths.png" })
            Assert.True(File.Exists(Path.Combine(report, file)), file);
        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "stats.json")));
        Assert.Equal("test_bpc", stats.RootElement.GetProperty("metric").GetString());
        Assert.Equal("lower_is_better", stats.RootElement.GetProperty("direction").GetString());
        Assert.Equal(3, stats.RootElement.GetProperty("pairs").GetArrayLength());

        var again = MinrnnProcess.Run(args);
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("6 already done, 0 to train", again.Err);
    }
}
