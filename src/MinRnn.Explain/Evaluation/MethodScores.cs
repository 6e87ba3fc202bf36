namespace MinRnn.Explain.Evaluation;

/// <summary>One method's scores over an evaluation set (means over all cases = examples × answers; chance values in
/// ExplainSettings). IG adds its completeness check: mean |Σ attr − (F(x) − F(x'))| and that mean divided by the
/// mean |F(x) − F(x')|.</summary>
public sealed record MethodScores(
    double PointingGame,
    double RelevanceMass,
    double RelevanceRank,
    double DeletionAuc,
    double InsertionAuc,
    double RandomizationRankCorr,
    double? IgCompletenessDelta,
    double? IgCompletenessRelative,
    int Cases,
    double Seconds);
