using MinRnn.Explain.Evaluation;
using MinRnn.Tasks;

namespace MinRnn.Explain.Study;

/// <summary>The settings' sentences that depend on the task: what is explained, the ground truth, and the filler
/// used by the curves and the randomisation check: the task's own (<see cref="ISequenceTask.Explanation"/>, selective
/// copying's version-1 wording) or the generic one read from the relevance mask.</summary>
public sealed record ExplainTexts(string Target, string GroundTruth, string Curves, string Randomization)
{
    public static ExplainTexts For(ISequenceTask task, TaskCases cases)
    {
        if (task.Explanation is { } own)
            return new ExplainTexts(own.Target, own.GroundTruth, own.Curves, own.Randomization);
        var length = cases.Tokens.shape[1];
        var perCase = cases.Mask.sum(-1);
        var (fewest, most) = (perCase.min().item<long>(), perCase.max().item<long>());
        var filler = $"filler token '{task.Vocabulary.Tokens[(int)cases.Filler]}' ({cases.Filler})";
        return new ExplainTexts(
            $"logit of the target token at each of the {cases.Targets.Count} scored steps t = {string.Join(", ", cases.Targets.Steps)}",
            $"{TaskRegistry.Find(task.Name).Description}; answer a depends on the positions of its row of the task's relevance mask " +
            $"({(fewest == most ? $"{most}" : $"{fewest}–{most}")} per case)",
            $"{TaskExplanation.Ranking} {filler}, m = 0 … {length}; accuracy of the target at its step; trapezoid AUC over the fraction m/{length}",
            $"{TaskExplanation.Spearman} non-filler {TaskExplanation.Verdict}");
    }
}
