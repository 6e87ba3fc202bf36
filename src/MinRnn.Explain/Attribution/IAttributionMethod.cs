using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>An attribution method: one score per input token (summed over embedding dimensions where the method
/// works on embeddings) for each target logit. Works on any SequenceModel and token batch.</summary>
public interface IAttributionMethod
{
    /// <summary>The method's name in explain.json: saliency | ixg | ig | occlusion | decomposition.</summary>
    string Name { get; }

    /// <summary>Whether the method can explain this model (the exact decomposition needs min cells).</summary>
    bool AppliesTo(SequenceModel model);

    /// <summary>Scores (B, S, L) for tokens (B, L) and targets (S steps, classes (B, S)).</summary>
    Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets);
}
