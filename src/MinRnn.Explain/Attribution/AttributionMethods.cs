using MinRnn.Explain.Decomposition;

namespace MinRnn.Explain.Attribution;

/// <summary>The attribution methods by their explain.json names.</summary>
public static class AttributionMethods
{
    public static readonly string[] Names = ["saliency", "ixg", "ig", "occlusion", "decomposition"];

    public static IAttributionMethod Create(string name, IgOptions? ig = null) => name switch
    {
        "saliency" => new Saliency(),
        "ixg" => new InputXGradient(),
        "ig" => new IntegratedGradients(ig),
        "occlusion" => new Occlusion(),
        "decomposition" => new DecompositionAttribution(),
        _ => throw new ArgumentException($"method: '{name}' is not one of {string.Join("|", Names)}"),
    };
}
