using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.Json.Serialization;
using MinRnn.Explain.Evaluation;
using MinRnn.Explain.Internals;
using MinRnn.Training;

namespace MinRnn.Explain.Study;

/// <summary>How the scores were obtained, written beside them. Chance = the score of a uniform attribution (1/L)
/// for pointing game, relevance mass and relevance rank. IG: the rule, its n and (kink-aware) grid M, and the
/// quadrature nodes (gradient evaluations) it took per example on the trained model, mean and largest.</summary>
public sealed record ExplainSettings(
    string Target,
    string Relevance,
    string GroundTruth,
    double Chance,
    int IgSteps,
    string IgRule,
    int? IgKinkGrid,
    double? IgNodesMean,
    int? IgNodesMax,
    string IgBaseline,
    long OcclusionToken,
    string Curves,
    string Randomization,
    long RandomizationSeed,
    string Decomposition);

/// <summary>Memory horizon of one layer (see MemoryHorizon).</summary>
public sealed record MemorySummary(int Layer, int? Horizon, double[] Retention);

/// <summary>Share of variance of the first two principal components of one layer's hidden states.</summary>
public sealed record PcaSummary(int Layer, double[] ExplainedVariance);

/// <summary>OUT/explain.json: every score with its settings, plus the internal analyses.</summary>
public sealed record ExplainReport(
    int FormatVersion,
    string Run,
    string Model,
    int Layers,
    JsonObject Task,
    int Samples,
    long Seed,
    string Device,
    double Accuracy,
    ExplainSettings Settings,
    Dictionary<string, MethodScores> Methods,
    List<GateStatistic>? Gates,
    List<MemorySummary>? Memory,
    List<PcaSummary> Pca,
    List<string> Figures,
    string MinrnnVersion)
{
    public const int Version = 1;

    public static readonly JsonSerializerOptions Json = new(RunConfig.Json)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ExplainReport FromJson(string json) =>
        JsonSerializer.Deserialize<ExplainReport>(json, Json) ?? throw new InvalidDataException("explain.json: empty");
}
