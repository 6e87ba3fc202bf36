namespace MinRnn.Explain.Evaluation;

/// <summary>One method's scores over an evaluation set (means over all cases = examples × answers; chance values in
/// ExplainSettings). IG adds its completeness check: mean |Σ attr − (F(x) − F(x'))|, that mean divided by the
/// mean |F(x) − F(x')|, and the largest ratio |Σ attr − (F(x) − F(x'))| / |F(x) − F(x')| of a single case.</summary>
public sealed record MethodScores(
    double PointingGame,
    double RelevanceMass,
    double RelevanceRank,
    double DeletionAuc,
    double InsertionAuc,
    double RandomizationRankCorr,
    double? IgCompletenessDelta,
    double? IgCompletenessRelative,
    double? IgCompletenessMaxRelative,
    int Cases,
    double Seconds);
