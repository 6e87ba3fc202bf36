namespace MinRnn.Tasks;

/// <summary>The windows of a series of N rows cut at row C (docs/FORECAST.md, "The split"). A window is named by its origin
/// o, the 0-based row of its last input: inputs rows o − T + 1 … o, targets rows o + 1 … o + H. A window is used only on the
/// side of the cut that holds all of its rows: training windows lie in rows 0 … C − 1, evaluation windows in rows C … N − 1.
/// So no evaluation input or target is ever a training target, and the windows whose rows cross the cut are used by neither.</summary>
public readonly record struct ForecastWindows(int Rows, int Cut, int SeqLen, int Horizon)
{
    /// <summary>The share of rows evaluated when no --eval-from is given: the last ⌈N / 10⌉.</summary>
    public const double EvaluatedShare = 0.1;

    /// <summary>C for `--eval-from ROW` (the first evaluated row, counted from 1 after the header), or the last 10% of rows
    /// for ROW = 0.</summary>
    public static int CutOf(int rows, int evalFrom) => evalFrom > 0 ? evalFrom - 1 : rows - (int)Math.Ceiling(rows * EvaluatedShare);

    /// <summary>Origins T − 1 … C − 1 − H: inputs and targets before the cut.</summary>
    public IReadOnlyList<int> Training => Range(SeqLen - 1, Cut - 1 - Horizon);

    /// <summary>Origins C + T − 1 … N − 1 − H: inputs and targets at or after the cut.</summary>
    public IReadOnlyList<int> Evaluation => Range(Cut + SeqLen - 1, Rows - 1 - Horizon);

    /// <summary>`count` evaluation origins evenly spaced from the first to the last (all of them when there are no more).</summary>
    public IReadOnlyList<int> EvaluationSample(int count)
    {
        var all = Evaluation;
        return all.Count <= count ? all : [.. Enumerable.Range(0, count).Select(j => all[count == 1 ? 0 : (int)((long)j * (all.Count - 1) / (count - 1))])];
    }

    private static int[] Range(int first, int last) => last < first ? [] : [.. Enumerable.Range(first, last - first + 1)];
}
