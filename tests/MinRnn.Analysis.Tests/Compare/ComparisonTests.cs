using System.Globalization;
using System.Text.Json;
using MinRnn.Analysis.Compare;
using MinRnn.Analysis.Statistics;
using static MinRnn.Analysis.Tests.Statistics.ReferenceData;

namespace MinRnn.Analysis.Tests.Compare;

/// <summary>`compare` end to end on summary.json files written here: grouping, the numbers in stats.json,
/// malformed and partial input.</summary>
public class ComparisonTests
{
    /// <summary>A run whose metric (test_accuracy, or e.g. test_bpc) is <paramref name="accuracy"/>.</summary>
    private static void Summary(string root, string model, int layers, int seed, double accuracy, int seqLen = 64, string metric = "test_accuracy")
    {
        var dir = Path.Combine(root, $"{model}-L{layers}-T{seqLen}-s{seed}");
        Directory.CreateDirectory(dir);
        var acc = double.IsNaN(accuracy) ? "\"NaN\"" : accuracy.ToString("R", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(dir, "summary.json"),
            $$"""{ "model": "{{model}}", "layers": {{layers}}, "seed": {{seed}}, "steps": 100,""" +
            $$""" "task": { "name": "selective_copying", "seq_len": {{seqLen}}, "tokens": 4, "vocab": 16 }, "{{metric}}": {{acc}}, "final_loss": 0.5 }""");
        File.WriteAllText(Path.Combine(dir, "metrics.jsonl"),
            $$"""{"step":50,"accuracy":{{(double.IsNaN(accuracy) ? "\"NaN\"" : (accuracy * 0.5).ToString("R", CultureInfo.InvariantCulture))}}}""" + "\n" +
            $$"""{"step":100,"accuracy":{{acc}}}""" + "\n");
    }

    private static ComparisonReport Run(string[] roots, string[] by, string? baseline = null, string metric = "test_accuracy",
        RankOrder? direction = null)
    {
        var (runs, problems) = RunLoader.Load(roots);
        return Comparison.Compute(runs, metric, by, baseline, problems, direction);
    }

    [Fact]
    public void GroupsAndPairsCarryTheReferenceNumbers()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        for (var i = 0; i < A.Length; i++) Summary(root, "mingru", 2, i, A[i]);
        for (var i = 0; i < B.Length; i++) Summary(root, "gru", 2, i, B[i]);
        var report = Run([root], ["model", "layers"], baseline: "gru");

        var mingru = report.Groups.Single(g => g.Key["model"] == "mingru");
        Assert.Equal(10, mingru.N);
        Assert.Equal(A.Average(), mingru.Mean, 12);
        Assert.Equal(10_000, mingru.BootstrapCi.Resamples);
        var pair = Assert.Single(report.Pairs);                   // baseline: only mingru vs gru
        Assert.Equal("mingru", pair.A["model"]);
        // scipy.stats.ttest_ind(A, B, equal_var=False), SciPy 1.10.1 (as in WelchTTestTests)
        Assert.Equal(4.239315348101939, pair.WelchT, 9);
        Assert.Equal(0.0004804403626497714, pair.WelchP, 12);
        Assert.Equal(pair.WelchP, pair.PHolm, 15);                 // one pair: Holm leaves p alone
        Assert.InRange(pair.AsoEpsilon, 0, pair.AsoViolationRatio);  // ε_min never exceeds ε_W
        Assert.True(pair.CliffsDelta > 0 && pair.ProbabilityOfImprovement > 0.5);
    }

    [Fact]
    public void StatsJsonHasTheDocumentedFields()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        foreach (var (m, shift) in new[] { ("mingru", 0.0), ("minlstm", -0.02), ("gru", -0.05) })
            for (var s = 0; s < 4; s++) Summary(root, m, 1, s, 0.8 + shift + 0.01 * s);
        using var doc = JsonDocument.Parse(ReportWriter.StatsJson(Run([root], ["model"])));
        var group = doc.RootElement.GetProperty("groups")[0];
        foreach (var f in new[] { "key", "n", "mean", "sd", "median", "iqm", "t_ci", "bootstrap_ci" })
            Assert.True(group.TryGetProperty(f, out _), f);
        var pairs = doc.RootElement.GetProperty("pairs");
        Assert.Equal(3, pairs.GetArrayLength());                   // all pairs without a baseline
        foreach (var f in new[] { "a", "b", "welch_t", "welch_df", "welch_p", "mann_whitney_u", "mann_whitney_p", "hedges_g", "cliffs_delta", "aso_epsilon", "p_holm" })
            Assert.True(pairs[0].TryGetProperty(f, out _), f);
        var holm = MultipleComparisons.HolmBonferroni(pairs.EnumerateArray().Select(p => p.GetProperty("welch_p").GetDouble()).ToList());
        Assert.Equal(holm, pairs.EnumerateArray().Select(p => p.GetProperty("p_holm").GetDouble()));
    }

    [Fact]
    public void MalformedPartialAndDegenerateInputIsDefined()
    {
        using TempFolder firstFolder = new(), secondFolder = new();
        var (first, second) = (firstFolder.Path, secondFolder.Path);
        Summary(first, "mingru", 1, 0, 0.9);                       // n = 1
        Summary(first, "gru", 1, 0, 0.7);
        Summary(first, "gru", 1, 1, 0.7);                          // zero variance
        Summary(second, "lstm", 1, 0, double.NaN);                 // NaN metric, only in the second folder
        Directory.CreateDirectory(Path.Combine(second, "broken"));
        File.WriteAllText(Path.Combine(second, "broken", "summary.json"), "{ not json");
        Directory.CreateDirectory(Path.Combine(second, "nometric"));
        File.WriteAllText(Path.Combine(second, "nometric", "summary.json"), """{ "model": "gru", "layers": 1, "seed": 9, "steps": 1 }""");

        var report = Run([first, second], ["model"]);
        Assert.Contains(report.Problems, p => p.Contains(Path.Combine("broken", "summary.json")) && p.Contains("skipped"));
        Assert.Contains(report.Problems, p => p.Contains("nometric") && p.Contains("test_accuracy"));
        var single = report.Groups.Single(g => g.Key["model"] == "mingru");
        Assert.True(double.IsNaN(single.Sd) && double.IsNaN(single.TCi[0]));
        var flat = report.Groups.Single(g => g.Key["model"] == "gru");
        Assert.Equal(0, flat.Sd);
        Assert.True(double.IsNaN(report.Groups.Single(g => g.Key["model"] == "lstm").Mean));
        var gruVsMingru = report.Pairs.Single(p => p.Label == "gru vs mingru");
        Assert.True(double.IsNaN(gruVsMingru.HedgesG));            // pooled sd undefined with n = 1 + zero variance
        Assert.Contains("NaN", ReportWriter.StatsJson(report));
    }

    [Fact]
    public void FriedmanAcrossTaskSettings()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        // three models on four sequence lengths; mingru always best, lstm always worst
        foreach (var (t, i) in new[] { 32, 64, 128, 256 }.Select((t, i) => (t, i)))
        {
            Summary(root, "mingru", 2, 0, 0.95 - 0.01 * i, t);
            Summary(root, "gru", 2, 0, 0.90 - 0.01 * i, t);
            Summary(root, "lstm", 2, 0, 0.80 - 0.01 * i, t);
        }
        var f = Run([root], ["model"]).Friedman!;
        Assert.Equal(4, f.Blocks.Length);
        Assert.Equal(new[] { "gru", "lstm", "mingru" }, f.Methods);
        Assert.Equal(new[] { 2.0, 3.0, 1.0 }, f.AverageRanks);
        // perfectly consistent ranks: χ² = 12/(N k (k+1)) Σ R² − 3N(k+1) = 12/(4·3·4)·(64+144+16) − 48 = 8 (Demšar 2006, eq. 4)
        Assert.Equal(8.0, f.ChiSquare, 10);
        Assert.Equal(NemenyiTest.CriticalValue(3) * Math.Sqrt(3 * 4 / 24.0), f.CriticalDifference, 10);
        Assert.Equal(2.343 * Math.Sqrt(3 * 4 / 24.0), f.CriticalDifference, 3);   // Demšar's Table 5(a), k = 3
    }

    [Fact]
    public void ReportAndFiguresAreWritten()
    {
        using TempFolder rootFolder = new(), outFolder = new();
        var (root, outDir) = (rootFolder.Path, outFolder.Path);
        foreach (var m in new[] { "mingru", "gru" })
            for (var l = 1; l <= 2; l++)
                for (var s = 0; s < 3; s++) Summary(root, m, l, s, 0.5 + 0.1 * l + 0.01 * s + (m == "mingru" ? 0.05 : 0));
        var (runs, problems) = RunLoader.Load([root]);
        var report = Comparison.Compute(runs, "test_accuracy", ["model", "layers"], null, problems);
        var figures = new[] { Figures.Groups(report, outDir), Figures.LearningCurves(runs, ["model", "layers"], outDir), Figures.ByLayers(report, outDir) };
        foreach (var f in figures)
            Assert.True(new FileInfo(Path.Combine(outDir, f!)).Length > 5_000, f);
        var md = ReportWriter.Markdown(report, figures!);
        Assert.Contains("| mingru layers=2 | 1.0 | 3 |", md);                  // highest accuracy: rank 1
        Assert.Contains("80% power", md);
    }

    [Fact]
    public void ExplanationScoresAreMetricsToo()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        for (var seed = 0; seed < 3; seed++)
        {
            Summary(root, "mingru", 2, seed, 0.99);
            var explain = Path.Combine(root, $"mingru-L2-T64-s{seed}", "explain");
            Directory.CreateDirectory(explain);
            File.WriteAllText(Path.Combine(explain, "explain.json"),
                $$"""{ "methods": { "ig": { "pointing_game": {{0.5 + 0.1 * seed}}, "relevance_mass": 0.3 } } }""");
        }
        var (runs, problems) = RunLoader.Load([root]);
        var report = Comparison.Compute(runs, "explain.ig.pointing_game", ["model"], null, problems);
        var group = Assert.Single(report.Groups);
        Assert.Equal(0.6, group.Mean, 12);
        Assert.Equal(0.1, group.Sd, 12);
    }

    [Theory]
    [InlineData("test_accuracy", RankOrder.HigherIsBetter)]
    [InlineData("accuracy_2x", RankOrder.HigherIsBetter)]
    [InlineData("explain.ig.pointing_game", RankOrder.HigherIsBetter)]
    [InlineData("test_bpc", RankOrder.LowerIsBetter)]
    [InlineData("bpc", RankOrder.LowerIsBetter)]
    [InlineData("final_loss", RankOrder.LowerIsBetter)]
    [InlineData("loss", RankOrder.LowerIsBetter)]
    [InlineData("train_seconds", RankOrder.LowerIsBetter)]
    public void DirectionIsReadFromTheMetricName(string metric, RankOrder expected) => Assert.Equal(expected, MetricOrder.For(metric));

    [Fact]
    public void FriedmanAcrossTaskSettingsLowerIsBetter()
    {
        // FriedmanAcrossTaskSettings with every value negated and named test_bpc: the same method is best, so the same ranks
        using var tmp = new TempFolder();
        var root = tmp.Path;
        foreach (var (t, i) in new[] { 32, 64, 128, 256 }.Select((t, i) => (t, i)))
        {
            Summary(root, "mingru", 2, 0, -(0.95 - 0.01 * i), t, "test_bpc");
            Summary(root, "gru", 2, 0, -(0.90 - 0.01 * i), t, "test_bpc");
            Summary(root, "lstm", 2, 0, -(0.80 - 0.01 * i), t, "test_bpc");
        }
        var report = Run([root], ["model"], metric: "test_bpc");
        Assert.Equal(RankOrder.LowerIsBetter, report.Direction);
        var f = report.Friedman!;
        Assert.Equal(new[] { "gru", "lstm", "mingru" }, f.Methods);
        Assert.Equal(new[] { 2.0, 3.0, 1.0 }, f.AverageRanks);
        Assert.Equal(8.0, f.ChiSquare, 10);
        Assert.Equal(new[] { 2.0, 3.0, 1.0 }, report.Groups.Select(g => g.Rank));   // groups gru, lstm, mingru

        // --direction overrides the name: the same numbers read as higher-is-better turn the order round
        var turned = Run([root], ["model"], metric: "test_bpc", direction: RankOrder.HigherIsBetter);
        Assert.Equal(new[] { 2.0, 1.0, 3.0 }, turned.Friedman!.AverageRanks);
        Assert.Equal(new[] { 2.0, 1.0, 3.0 }, turned.Groups.Select(g => g.Rank));
    }

    [Fact]
    public void BitsPerCharacterRanksByHand()
    {
        // held-out bits per character, lower is better; ranks within each setting worked by hand:
        //            mingru  gru   lstm   ranks (mingru, gru, lstm)
        //   T=32     1.50   1.60  1.70    1, 2, 3
        //   T=64     1.55   1.52  1.70    2, 1, 3
        //   T=128    1.40   1.45  1.45    1, 2.5, 2.5
        //   T=256    1.60   1.65  1.58    2, 3, 1
        // averages: mingru 6/4 = 1.5, gru 8.5/4 = 2.125, lstm 9.5/4 = 2.375
        using var tmp = new TempFolder();
        var root = tmp.Path;
        var table = new (int T, double MinGru, double Gru, double Lstm)[] { (32, 1.50, 1.60, 1.70), (64, 1.55, 1.52, 1.70), (128, 1.40, 1.45, 1.45), (256, 1.60, 1.65, 1.58) };
        foreach (var row in table)
        {
            Summary(root, "mingru", 2, 0, row.MinGru, row.T, "test_bpc");
            Summary(root, "gru", 2, 0, row.Gru, row.T, "test_bpc");
            Summary(root, "lstm", 2, 0, row.Lstm, row.T, "test_bpc");
        }
        var report = Run([root], ["model"], metric: "test_bpc");
        var f = report.Friedman!;
        Assert.Equal(new[] { "gru", "lstm", "mingru" }, f.Methods);
        Assert.Equal(2.125, f.AverageRanks[0], 12);
        Assert.Equal(2.375, f.AverageRanks[1], 12);
        Assert.Equal(1.5, f.AverageRanks[2], 12);
        // group means 1.555, 1.6075, 1.5125: mingru lowest → rank 1
        Assert.Equal(new[] { 2.0, 3.0, 1.0 }, report.Groups.Select(g => g.Rank));

        // the pair statistics count the lower value as the better one. lstm {1.70, 1.70, 1.45, 1.58} against mingru
        // {1.50, 1.55, 1.40, 1.60}: lstm lower in 4 of the 16 pairs (1.45 < 1.50, 1.55, 1.60; 1.58 < 1.60), higher in 12
        var pair = report.Pairs.Single(p => p.Label == "lstm vs mingru");
        Assert.Equal(1.6075 - 1.5125, pair.MeanDifference, 12);                // raw a − b, whatever the direction
        Assert.Equal((4 - 12) / 16.0, pair.CliffsDelta, 12);                   // higher-is-better would give +0.5
        Assert.Equal(4 / 16.0, pair.ProbabilityOfImprovement, 12);
        // sorted, mingru's bpc is below lstm's at every quantile: "lstm better" is violated everywhere
        Assert.Equal(1.0, pair.AsoViolationRatio, 12);

        var md = ReportWriter.Markdown(report, []);
        Assert.Contains("Direction: **lower is better** for test_bpc", md);
        Assert.Contains("| mingru | 1.0 | 4 |", md);
        using var doc = JsonDocument.Parse(ReportWriter.StatsJson(report));
        Assert.Equal("lower_is_better", doc.RootElement.GetProperty("direction").GetString());
        Assert.Equal(1.0, doc.RootElement.GetProperty("groups")[2].GetProperty("rank").GetDouble());
    }

    [Fact]
    public void RunLoaderReadsBitsPerCharacter()
    {
        using var tmp = new TempFolder();
        var root = tmp.Path;
        var dir = Path.Combine(root, "mingru");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "summary.json"),
            """{ "model": "mingru", "layers": 2, "seed": 0, "steps": 1000, "task": { "name": "char-lm", "seq_len": 128, "alphabet": "ab" },""" +
            """ "test_accuracy": 0.6, "final_loss": 0.9, "test_bpc": 1.2984 }""");
        var run = Assert.Single(RunLoader.Load([root]).Runs);
        Assert.Equal(1.2984, run.Metrics["test_bpc"], 12);
        Assert.Equal("char-lm", run.Fields["task"]);
    }
}
