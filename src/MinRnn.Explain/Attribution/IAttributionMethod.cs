using MinRnn.Cells;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>An attribution method: one score per input token (summed over embedding dimensions where the method
/// works on embeddings) for each target logit. Works on any SequenceModel and token batch.</summary>
public interface IAttributionMethod
{
    /// <summary>The method's name in explain.json: saliency | ixg | ig | occlusion | decomposition | attention-rollout.</summary>
    string Name { get; }

    /// <summary>Whether the method can explain models of this cell kind (the exact decomposition needs cells that unroll,
    /// attention rollout attention; the others apply to every kind).</summary>
    bool AppliesTo(CellKind kind);

    /// <summary>Scores (B, S, L) for tokens (B, L) and targets (S steps, classes (B, S)).</summary>
    Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets);
}

public static class AttributionMethodExtensions
{
    /// <summary>Whether the method can explain this model.</summary>
    public static bool AppliesTo(this IAttributionMethod method, SequenceModel model) => method.AppliesTo(CellKinds.Get(model.Config.Cell));

    /// <summary>The kinds the method applies to, for messages: e.g. mingru|minlstm|mamba.</summary>
    public static string Kinds(this IAttributionMethod method) => string.Join("|", CellKinds.All.Where(method.AppliesTo).Select(k => k.Name));
}
