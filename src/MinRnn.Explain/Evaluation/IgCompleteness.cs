namespace MinRnn.Explain.Evaluation;

/// <summary>IG's completeness over an evaluation set: mean |delta|, mean |F(x) − F(x')|, the largest per-case
/// |delta| / |F(x) − F(x')|, and the quadrature nodes (gradient evaluations) per example, mean and largest.</summary>
public sealed record IgCompleteness(double Delta, double Difference, double MaxRelative, double MeanNodes, int MaxNodes);
