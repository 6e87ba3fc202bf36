namespace MinRnn.Training;

/// <summary>Scores of a confusion matrix C[true, predicted] (counts).</summary>
public static class ClassScores
{
    /// <summary>Macro-averaged F1: the mean over classes of F1_c = 2 TP / (2 TP + FP + FN), over the classes that occur
    /// as a truth or a prediction (scikit-learn's f1_score(average="macro") without a `labels` argument); NaN when the
    /// matrix holds no count.</summary>
    public static double MacroF1(long[,] confusion)
    {
        var classes = confusion.GetLength(0);
        var (sum, present) = (0.0, 0);
        for (var c = 0; c < classes; c++)
        {
            long tp = confusion[c, c], truth = 0, predicted = 0;
            for (var k = 0; k < classes; k++) (truth, predicted) = (truth + confusion[c, k], predicted + confusion[k, c]);
            if (truth + predicted == 0) continue;
            sum += 2.0 * tp / (truth + predicted);                            // 2TP + FP + FN = truth + predicted
            present++;
        }
        return present > 0 ? sum / present : double.NaN;
    }
}
