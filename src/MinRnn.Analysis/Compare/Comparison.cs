using MinRnn.Analysis.Statistics;

namespace MinRnn.Analysis.Compare;

/// <summary>Groups runs by fields and computes per group, per pair and across task settings everything
/// a comparison over repeated runs needs (docs/STUDY.md). Seeds of the resampling methods are fixed, so a report is reproducible.</summary>
public static class Comparison
{
    public const ulong Seed = 20_241_001;
    public const string Notes =
        "t_ci: 95% Student t interval of the mean. bootstrap_ci: 10,000 seeded resamples of the mean, percentile and BCa. " +
        "welch_*: Welch's unequal-variance t test; mann_whitney_*: two-sided, exact without ties for n ≤ 20, else normal " +
        "approximation with tie and continuity correction; hedges_g: bias-corrected standardised mean difference (a − b) " +
        "with a normal 95% interval (mean_difference, welch_t and hedges_g are of the raw values, whatever the direction); " +
        "direction: which end of the metric is better (from its name, or --direction); rank: the group means ranked, 1 = best. " +
        "The pair statistics that say which is better count the better value in that direction: cliffs_delta = P(a better) − " +
        "P(b better); probability_of_improvement = P(a better) + ½P(a = b); aso_epsilon: Almost Stochastic Order ε_min " +
        "(deep-significance's formula, 1,000 seeded bootstrap pairs; < 0.5 means a is almost stochastically better), " +
        "aso_violation_ratio its plain ε_W; p_holm: Welch p adjusted by Holm over all pairs. Friedman ranks: 1 = best in each setting. " +
        "Degenerate groups (n = 1, zero variance, all ties) give NaN where a statistic is undefined.";

    /// <summary>The report of <paramref name="metric"/> over runs grouped by the fields <paramref name="by"/>;
    /// <paramref name="direction"/> says which end of the metric is better (null: read from its name, <see cref="MetricOrder.For"/>).
    /// Runs without the metric or a field are added to <paramref name="problems"/> and skipped.</summary>
    public static ComparisonReport Compute(List<RunRecord> runs, string metric, string[] by, string? baseline, List<string> problems,
        RankOrder? direction = null)
    {
        var order = direction ?? MetricOrder.For(metric);
        var usable = new List<RunRecord>();
        foreach (var r in runs)
            if (!r.Metrics.ContainsKey(metric)) problems.Add($"{r.Path}: no metric '{metric}', skipped");
            else if (by.FirstOrDefault(f => !r.Fields.ContainsKey(f)) is { } missing) problems.Add($"{r.Path}: no field '{missing}', skipped");
            else usable.Add(r);

        var groups = usable.GroupBy(r => Label(r, by)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Group(g.ToList(), metric, by)).ToList();
        var ranks = Ranks.Average(groups.Select(g => order == RankOrder.LowerIsBetter ? g.Mean : -g.Mean).ToArray());   // rank 1 = smallest
        groups = groups.Select((g, i) => g with { Rank = groups.Any(x => double.IsNaN(x.Mean)) ? double.NaN : ranks[i] }).ToList();
        var pairs = Pairs(groups, by, baseline, order);
        var holm = MultipleComparisons.HolmBonferroni(pairs.Select(p => p.WelchP).ToList());
        pairs = pairs.Select((p, i) => p with { PHolm = holm[i] }).ToList();
        var power = groups.Select(g => g.N).Where(n => n >= 2).Distinct().Order()
            .Select(n => new PowerNote(n, PowerAnalysis.MinimumDetectableEffect(n))).ToList();
        return new ComparisonReport(metric, order, by, baseline, usable.Count, groups, pairs, Friedman(usable, metric, by, order), power, problems, Notes);
    }

    /// <summary>Short group name: the model's name as is, other fields as field=value (e.g. "mingru layers=2").</summary>
    public static string Label(RunRecord r, string[] by) => string.Join(" ", by.Select(f => f == "model" ? r.Fields[f] : $"{f}={r.Fields[f]}"));

    private static GroupStats Group(List<RunRecord> runs, string metric, string[] by)
    {
        var values = runs.Select(r => r.Metrics[metric]).ToArray();
        var s = Descriptive.Summarize(values);
        var boot = Bootstrap.MeanInterval(values, Seed);
        var key = new SortedDictionary<string, string>(by.ToDictionary(f => f, f => runs[0].Fields[f]));
        return new GroupStats(key, Label(runs[0], by), double.NaN, s.Count, s.Mean, s.StandardDeviation, s.Median, s.InterquartileMean,
            s.Minimum, s.Maximum, [s.MeanLower95, s.MeanUpper95],
            new BootstrapCi([boot.Percentile.Lower, boot.Percentile.Upper], [boot.BiasCorrectedAccelerated.Lower, boot.BiasCorrectedAccelerated.Upper], boot.Resamples, boot.Seed),
            values, runs.Select(r => r.Path).ToArray());
    }

    /// <summary>All pairs; with a baseline model, each group against the baseline group that shares its other fields.</summary>
    private static List<PairStats> Pairs(List<GroupStats> groups, string[] by, string? baseline, RankOrder order)
    {
        var pairs = new List<(GroupStats A, GroupStats B)>();
        for (var i = 0; i < groups.Count; i++)
            for (var j = i + 1; j < groups.Count; j++)
                pairs.Add((groups[i], groups[j]));
        if (baseline is not null && by.Contains("model"))
            pairs = groups.Where(g => g.Key["model"] != baseline)
                .SelectMany(g => groups.Where(b => b.Key["model"] == baseline && by.Where(f => f != "model").All(f => b.Key[f] == g.Key[f])).Select(b => (g, b)))
                .ToList();
        return pairs.Select(p => Pair(p.A, p.B, order)).ToList();
    }

    private static PairStats Pair(GroupStats a, GroupStats b, RankOrder order)
    {
        var (x, y) = (a.Values, b.Values);
        var (betterX, betterY) = (MetricOrder.BetterIsLarger(x, order), MetricOrder.BetterIsLarger(y, order));
        var welch = WelchTTest.Compute(x, y);
        var mw = MannWhitneyUTest.Compute(x, y);
        var g = EffectSize.HedgesG(x, y);
        return new PairStats(a.Key, b.Key, $"{a.Label} vs {b.Label}", welch.MeanDifference, welch.T, welch.DegreesOfFreedom, welch.PValue,
            mw.U, mw.PValue, mw.Method.ToString().ToLowerInvariant(), g.G, [g.Lower, g.Upper],
            EffectSize.CliffsDelta(betterX, betterY), EffectSize.ProbabilityOfImprovement(betterX, betterY),
            AlmostStochasticOrder.MinimalEpsilon(betterX, betterY, Seed), AlmostStochasticOrder.ViolationRatio(betterX, betterY), double.NaN);
    }

    /// <summary>Across tasks and task settings (task, seq_len, tokens, vocab not among the grouping fields): each group's mean per
    /// setting, for the groups present in every setting.</summary>
    private static FriedmanStats? Friedman(List<RunRecord> runs, string metric, string[] by, RankOrder order)
    {
        var settingFields = runs.Select(r => r.Fields.GetValueOrDefault("task")).Distinct().Count() > 1
            ? new[] { "task", "seq_len", "tokens", "vocab" } : ["seq_len", "tokens", "vocab"];   // tasks are blocks when there are several
        var taskFields = settingFields.Where(f => !by.Contains(f) && runs.Any(r => r.Fields.ContainsKey(f))).ToArray();
        if (taskFields.Length == 0) return null;
        string Block(RunRecord r) => string.Join(" ", taskFields.Select(f => $"{f}={r.Fields.GetValueOrDefault(f, "?")}"));
        var blocks = runs.Select(Block).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (blocks.Length < 2) return null;
        var methods = runs.GroupBy(r => Label(r, by)).Where(g => blocks.All(bl => g.Any(r => Block(r) == bl)))
            .Select(g => g.Key).Order(StringComparer.Ordinal).ToArray();
        if (methods.Length < 2) return null;
        var scores = new double[blocks.Length, methods.Length];
        for (var i = 0; i < blocks.Length; i++)
            for (var j = 0; j < methods.Length; j++)
                scores[i, j] = runs.Where(r => Block(r) == blocks[i] && Label(r, by) == methods[j]).Average(r => r.Metrics[metric]);
        var f = FriedmanTest.Compute(scores, order);
        var rows = Enumerable.Range(0, blocks.Length).Select(i => Enumerable.Range(0, methods.Length).Select(j => scores[i, j]).ToArray()).ToArray();
        return new FriedmanStats(blocks, methods, rows, f.ChiSquare, f.DegreesOfFreedom, f.PValue, f.AverageRanks,
            NemenyiTest.CriticalDifference(methods.Length, blocks.Length));
    }
}
