using MinRnn.Explain.Scoring;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Scoring;

public class PerturbationCurvesTests
{
    private const long Filler = 5;

    /// <summary>A hand-built "model" whose answer at step t is right exactly when the token at position 2 is still
    /// there: logits put all mass on token tokens[2] (class 0 when it was removed).</summary>
    private static Tensor Oracle(Tensor tokens)
    {
        var (n, length) = (tokens.shape[0], tokens.shape[1]);
        var source = tokens.select(1, 2).masked_fill(tokens.select(1, 2).eq(Filler), 0);
        var logits = zeros(n, length, 6, dtype: float64);
        logits.scatter_(2, source.view(-1, 1, 1).expand(-1, length, 1), ones(n, length, 1, dtype: float64));
        return logits;
    }

    [Fact]
    public void OnTargetRelevanceGivesTheBestCurves()
    {
        const int length = 8;
        var tokens = tensor(new long[,] { { 5, 5, 3, 5, 1, 5, 0, 0 }, { 5, 2, 4, 5, 5, 5, 0, 0 } });
        var steps = tensor(new long[] { 6, 7 });
        var classes = tensor(new long[] { 3, 4 });
        var onTarget = zeros(2, length, dtype: float64);
        onTarget[TensorIndex.Colon, 2] = tensor(1.0);
        var (deletion, insertion) = PerturbationCurves.Compute(Oracle, tokens, steps, classes, onTarget, Filler);
        // deletion: accuracy 1 at m = 0, 0 from m = 1 on → AUC = ½ · (1/L); insertion: the mirror image
        Assert.Equal(0.5 / length, deletion.Auc, 14);
        Assert.Equal(1 - 0.5 / length, insertion.Auc, 14);
        Assert.Equal(length + 1, deletion.Accuracy.Length);

        // relevance that puts the source last: deletion keeps the answer until the very last token
        var backwards = onTarget.neg() + 1;
        var (late, _) = PerturbationCurves.Compute(Oracle, tokens, steps, classes, backwards, Filler);
        Assert.Equal(1 - 0.5 / length, late.Auc, 14);
    }

    [Fact]
    public void TrapezoidAreaOfAKnownCurve()
    {
        Assert.Equal(0.5, new Curve([0, 0.5, 1], [1, 0.5, 0]).Auc, 15);
        Assert.Equal(0.75, new Curve([0, 0.5, 1], [1, 1, 0]).Auc, 15);
    }
}
