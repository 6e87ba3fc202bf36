using static TorchSharp.torch;

namespace MinRnn.Explain.Scoring;

/// <summary>A curve of accuracy against the fraction of tokens perturbed, and its area (trapezoid rule on [0, 1]).</summary>
public sealed record Curve(double[] Fractions, double[] Accuracy)
{
    public double Auc => Enumerable.Range(1, Fractions.Length - 1)
        .Sum(i => (Fractions[i] - Fractions[i - 1]) * (Accuracy[i] + Accuracy[i - 1]) / 2);
}

/// <summary>Deletion and insertion curves (Petsiuk et al. 2018, as in Quantus/ERASER) on tokens. Tokens are ranked
/// by relevance (descending; ties by position). Deletion: replace the m top-ranked tokens by the filler token;
/// insertion: start from all filler and put back the m top-ranked tokens; m = 0 … L. The curve is the accuracy
/// of the target class (argmax at the output step) over all cases. A faithful explanation gives a low deletion AUC
/// and a high insertion AUC.</summary>
public static class PerturbationCurves
{
    /// <param name="logits">The model: tokens (N, L) → logits (N, L, V).</param>
    /// <param name="tokens">(N, L) int64, one row per case.</param>
    /// <param name="steps">(N) output step of each case.</param>
    /// <param name="classes">(N) target class of each case.</param>
    /// <param name="relevance">(N, L).</param>
    /// <param name="filler">The token that stands for "removed" (the noise token).</param>
    public static (Curve Deletion, Curve Insertion) Compute(Func<Tensor, Tensor> logits, Tensor tokens, Tensor steps,
        Tensor classes, Tensor relevance, long filler, int chunkRows = 1024)
    {
        using var scope = NewDisposeScope();
        var (rows, length) = (tokens.shape[0], (int)tokens.shape[1]);
        var order = relevance.to_type(float64).sort(-1, descending: true, stable: true).Indices;// token indices, most relevant first
        var rank = order.argsort(-1);                                          // rank of each position
        var (deletion, insertion) = (new double[length + 1], new double[length + 1]);
        using var _ = no_grad();
        for (var m = 0; m <= length; m++)
        {
            using var level = NewDisposeScope();
            var top = rank.lt(m);
            deletion[m] = Accuracy(logits, tokens.masked_fill(top, filler), steps, classes, chunkRows);
            insertion[m] = Accuracy(logits, tokens.masked_fill(top.logical_not(), filler), steps, classes, chunkRows);
        }
        var fractions = Enumerable.Range(0, length + 1).Select(m => (double)m / length).ToArray();
        return (new Curve(fractions, deletion), new Curve(fractions, insertion));
    }

    private static double Accuracy(Func<Tensor, Tensor> logits, Tensor tokens, Tensor steps, Tensor classes, int chunkRows)
    {
        long correct = 0;
        for (long start = 0; start < tokens.shape[0]; start += chunkRows)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(chunkRows, tokens.shape[0] - start);
            var l = logits(tokens.narrow(0, start, n));                                   // (n, L, V)
            var s = steps.narrow(0, start, n).to(l.device);
            var atStep = l.gather(1, s.view(-1, 1, 1).expand(-1, 1, l.shape[2])).squeeze(1);   // (n, V)
            correct += atStep.argmax(-1).eq(classes.narrow(0, start, n).to(l.device)).sum().item<long>();
        }
        return correct / (double)tokens.shape[0];
    }
}
