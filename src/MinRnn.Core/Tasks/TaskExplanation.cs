namespace MinRnn.Tasks;

/// <summary>explain's words for a task whose relevant positions have named roles (selective copying keeps its version-1
/// wording; docs/EXPLAIN.md). A task without one is described from its relevance mask and filler token.</summary>
/// <param name="Title">The task in one phrase: the first line of explain.md.</param>
/// <param name="Target">What is explained.</param>
/// <param name="GroundTruth">What each answer depends on.</param>
/// <param name="Curves">How the deletion and insertion curves are drawn.</param>
/// <param name="Randomization">What the model-randomisation check compares.</param>
/// <param name="RelevantName">The figures' legend for the relevant positions.</param>
/// <param name="FillerName">What occlusion's token is.</param>
/// <param name="TokenRoles">Gate statistics by token role (marker, noise, data) apply.</param>
public sealed record TaskExplanation(string Title, string Target, string GroundTruth, string Curves, string Randomization,
    string RelevantName, string FillerName, bool TokenRoles)
{
    /// <summary>The beginning of every task's curves sentence, before the token put in.</summary>
    public const string Ranking = "tokens ranked by relevance replaced by (deletion) or restored from (insertion) the";

    /// <summary>The beginning of every task's randomisation sentence, before the positions compared.</summary>
    public const string Spearman = "mean Spearman ρ of |attribution| over the";

    /// <summary>The end of every task's randomisation sentence.</summary>
    public const string Verdict = "positions 0 … step, between the trained model and a freshly initialised one; near 0 passes, near 1 fails";
}
