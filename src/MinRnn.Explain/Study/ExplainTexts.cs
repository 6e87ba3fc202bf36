using MinRnn.Explain.Evaluation;
using MinRnn.Tasks;

namespace MinRnn.Explain.Study;

/// <summary>The settings' sentences that depend on the task: what is explained, the ground truth, and the filler
/// used by the curves and the randomisation check. Selective copying keeps its version-1 wording.</summary>
public sealed record ExplainTexts(string Target, string GroundTruth, string Curves, string Randomization)
{
    private const string Ranking = "tokens ranked by relevance replaced by (deletion) or restored from (insertion) the";
    private const string Spearman = "mean Spearman ρ of |attribution| over the";
    private const string Verdict = "positions 0 … step, between the trained model and a freshly initialised one; near 0 passes, near 1 fails";

    public static ExplainTexts For(ISequenceTask task, TaskCases cases)
    {
        if (task is SelectiveCopying)
            return new ExplainTexts(
                "logit of the true data token at each of the K answer steps T … T+K−1",
                "answer k depends on the position of the k-th data token (one position per case)",
                $"{Ranking} noise token, m = 0 … T+K; accuracy of the target at its step; trapezoid AUC over the fraction m/(T+K)",
                $"{Spearman} non-noise {Verdict}");
        var length = cases.Tokens.shape[1];
        var perCase = cases.Mask.sum(-1);
        var (fewest, most) = (perCase.min().item<long>(), perCase.max().item<long>());
        var filler = $"filler token '{task.Vocabulary.Tokens[(int)cases.Filler]}' ({cases.Filler})";
        return new ExplainTexts(
            $"logit of the target token at each of the {cases.Targets.Count} scored steps t = {string.Join(", ", cases.Targets.Steps)}",
            $"{TaskRegistry.Find(task.Name).Description}; answer a depends on the positions of its row of the task's relevance mask " +
            $"({(fewest == most ? $"{most}" : $"{fewest}–{most}")} per case)",
            $"{Ranking} {filler}, m = 0 … {length}; accuracy of the target at its step; trapezoid AUC over the fraction m/{length}",
            $"{Spearman} non-filler {Verdict}");
    }
}
