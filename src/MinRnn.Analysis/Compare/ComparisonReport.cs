using MinRnn.Analysis.Statistics;

namespace MinRnn.Analysis.Compare;

/// <summary>Bootstrap intervals of a group's mean: percentile and BCa, seeded.</summary>
public sealed record BootstrapCi(double[] Percentile, double[] Bca, int Resamples, ulong Seed);

/// <summary>One group of runs (e.g. minGRU with 2 layers) and the statistics of its metric; Rank: its mean among the
/// groups' means, 1 = best in the report's direction, ties averaged (NaN when any mean is NaN).</summary>
public sealed record GroupStats(
    SortedDictionary<string, string> Key, string Label, double Rank, int N, double Mean, double Sd, double Median, double Iqm,
    double Min, double Max, double[] TCi, BootstrapCi BootstrapCi, double[] Values, string[] Runs);

/// <summary>Two groups compared: tests, effect sizes, and the Holm-adjusted Welch p across all pairs. MeanDifference,
/// Welch t and Hedges' g are of the raw values (a − b); Cliff's δ, the probability of improvement and ASO say how
/// often a is better than b in the report's direction.</summary>
public sealed record PairStats(
    SortedDictionary<string, string> A, SortedDictionary<string, string> B, string Label,
    double MeanDifference, double WelchT, double WelchDf, double WelchP,
    double MannWhitneyU, double MannWhitneyP, string MannWhitneyMethod,
    double HedgesG, double[] HedgesGCi, double CliffsDelta, double ProbabilityOfImprovement,
    double AsoEpsilon, double AsoViolationRatio, double PHolm);

/// <summary>Friedman test over task settings (blocks) with Nemenyi's critical difference; average ranks 1 = best.</summary>
public sealed record FriedmanStats(string[] Blocks, string[] Methods, double[][] Scores, double ChiSquare, int Df,
    double P, double[] AverageRanks, double CriticalDifference);

/// <summary>The smallest standardised effect (Cohen's d) a two-sided Welch/t test finds at α = 0.05 with 80% power.</summary>
public sealed record PowerNote(int PerGroup, double MinimumDetectableEffect);

/// <summary>Everything `minrnn compare` computes (written as stats.json; NaN is written as "NaN"). Direction: which
/// end of the metric is better (stats.json: "higher_is_better" or "lower_is_better").</summary>
public sealed record ComparisonReport(
    string Metric, RankOrder Direction, string[] By, string? Baseline, int Runs, List<GroupStats> Groups, List<PairStats> Pairs,
    FriedmanStats? Friedman, List<PowerNote> Power, List<string> Problems, string Notes);
