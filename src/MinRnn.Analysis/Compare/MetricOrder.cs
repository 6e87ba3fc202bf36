using MinRnn.Analysis.Statistics;

namespace MinRnn.Analysis.Compare;

/// <summary>Which end of a metric is the better one, read from its name: losses, bits per character, perplexities,
/// errors and times are lower-is-better, everything else (accuracies, explanation scores) higher-is-better.
/// `minrnn compare --direction` overrides it.</summary>
public static class MetricOrder
{
    /// <summary>Last name segments (after the last '.') that are lower-is-better, alone or as a `_` suffix
    /// (test_bpc, final_loss, train_seconds).</summary>
    public static readonly string[] LowerIsBetterNames = ["loss", "bpc", "perplexity", "error", "seconds"];

    public static RankOrder For(string metric)
    {
        var last = metric[(metric.LastIndexOf('.') + 1)..];
        return LowerIsBetterNames.Any(n => last == n || last.EndsWith("_" + n, StringComparison.Ordinal))
            ? RankOrder.LowerIsBetter : RankOrder.HigherIsBetter;
    }

    /// <summary>"higher is better" / "lower is better", for reports.</summary>
    public static string Describe(RankOrder order) => order == RankOrder.LowerIsBetter ? "lower is better" : "higher is better";

    /// <summary>The values turned so that larger is better: the effect sizes that say "a better than b" read these.</summary>
    public static double[] BetterIsLarger(IReadOnlyList<double> values, RankOrder order) =>
        order == RankOrder.LowerIsBetter ? values.Select(v => -v).ToArray() : values.ToArray();
}
