using MinRnn.Explain.Decomposition;

namespace MinRnn.Explain.Attribution;

/// <summary>The attribution methods by their explain.json names.</summary>
public static class AttributionMethods
{
    public static readonly string[] Names = ["saliency", "ixg", "ig", "occlusion", "decomposition", "attention-rollout"];

    /// <summary>The method of a name; `filler` (the task's filler token) is IG's noise baseline and the occlusion
    /// token, and overrides ig.Filler.</summary>
    public static IAttributionMethod Create(string name, IgOptions? ig = null, long? filler = null) => name switch
    {
        "saliency" => new Saliency(),
        "ixg" => new InputXGradient(),
        "ig" => new IntegratedGradients((ig ?? new IgOptions()) with { Filler = filler ?? ig?.Filler }),
        "occlusion" => new Occlusion(filler: filler),
        "decomposition" => new DecompositionAttribution(),
        "attention-rollout" => new AttentionRollout(),
        _ => throw new ArgumentException($"method: '{name}' is not one of {string.Join("|", Names)}"),
    };
}
