using MinRnn.Training;

namespace MinRnn.Tests.Training;

/// <summary>Macro-F1 against scikit-learn's documented example and hand counts.</summary>
public class ClassScoresTests
{
    private static long[,] Confusion(int classes, int[] truth, int[] predicted)
    {
        var m = new long[classes, classes];
        for (var i = 0; i < truth.Length; i++) m[truth[i], predicted[i]]++;
        return m;
    }

    /// <summary>scikit-learn's f1_score docstring: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1],
    /// average="macro" → 0.26666666666666666 (F1 = 0.8, 0, 0).</summary>
    [Fact]
    public void ScikitLearnsDocumentedExample() =>
        Assert.Equal(0.26666666666666666, ClassScores.MacroF1(Confusion(3, [0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1])), 15);

    /// <summary>A class that neither occurs nor is predicted does not count: F1 of classes 0 and 1 only.
    /// Class 0: TP 2, FP 1, FN 0 → 0.8; class 1: TP 0, FP 0, FN 1 → 0.</summary>
    [Fact]
    public void AbsentClassesAreLeftOut()
    {
        Assert.Equal(0.4, ClassScores.MacroF1(Confusion(3, [0, 0, 1], [0, 0, 0])), 15);
        Assert.True(double.IsNaN(ClassScores.MacroF1(new long[2, 2])));
    }
}
