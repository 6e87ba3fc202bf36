using MinRnn.Tasks;

namespace MinRnn.Tests.Tasks;

/// <summary>One row of a batch as plain arrays: inputs, targets (TaskBatch.IgnoreIndex where unscored) and, when the
/// task has a ground truth, Relevance[a][t] for its a-th answer.</summary>
public sealed record TaskRow(long[] Input, long[] Target, bool[][]? Relevance)
{
    public int Length => Input.Length;

    /// <summary>The steps that carry an answer, in time order.</summary>
    public int[] ScoredSteps => Enumerable.Range(0, Length).Where(t => Target[t] != TaskBatch.IgnoreIndex).ToArray();

    /// <summary>The input positions marked relevant for answer a.</summary>
    public int[] RelevantTo(int a) => Enumerable.Range(0, Length).Where(t => Relevance![a][t]).ToArray();
}

/// <summary>What every task test needs: batches as rows, the draws to check (both splits, several seeds), the
/// checks every task shares, and a chi-square statistic.</summary>
public static class TaskTesting
{
    public static readonly long[] CheckedSeeds = [0, 1, 7, 123456789];

    /// <summary>(seed, split) pairs, seeds as the trainer derives them (Seeds.TrainBatch / Seeds.Evaluation).</summary>
    public static IEnumerable<(long Seed, TaskSplit Split)> Draws() =>
        CheckedSeeds.SelectMany(s => new[] { (Seeds.TrainBatch(s, 1 + s % 5), TaskSplit.Train), (Seeds.Evaluation(s), TaskSplit.Evaluation) });

    public static List<TaskRow> Rows(TaskBatch b)
    {
        var (rows, length) = ((int)b.Inputs.shape[0], (int)b.Inputs.shape[1]);
        Assert.Equal(b.Inputs.shape, b.Targets.shape);
        var inputs = b.Inputs.data<long>().ToArray();
        var targets = b.Targets.data<long>().ToArray();
        var answers = (int)(b.Relevance?.shape[1] ?? 0);
        var mask = b.Relevance?.data<bool>().ToArray();
        if (b.Relevance is not null) Assert.Equal(new long[] { rows, answers, length }, b.Relevance.shape);
        return Enumerable.Range(0, rows).Select(r => new TaskRow(
            inputs[(r * length)..((r + 1) * length)],
            targets[(r * length)..((r + 1) * length)],
            mask is null ? null : Enumerable.Range(0, answers).Select(a => mask[((r * answers + a) * length)..((r * answers + a + 1) * length)]).ToArray()))
            .ToList();
    }

    /// <summary>Rows of Sample(batch, seed, split), after the checks every task shares: int64 tensors on the CPU,
    /// Relevance present exactly when the task says so, every input and answer a token of the vocabulary.</summary>
    public static List<TaskRow> Sample(ISequenceTask task, int batch, long seed, TaskSplit split)
    {
        using var b = task.Sample(batch, seed, split);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, b.Inputs.dtype);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, b.Targets.dtype);
        Assert.Equal(task.HasRelevance, b.Relevance is not null);
        var rows = Rows(b);
        Assert.Equal(batch, rows.Count);
        foreach (var row in rows)
        {
            Assert.All(row.Input, x => Assert.InRange(x, 0, task.Vocabulary.Size - 1));
            Assert.All(row.Target, y => Assert.True(y == TaskBatch.IgnoreIndex || (y >= 0 && y < task.Vocabulary.Size), $"target {y}"));
        }
        return rows;
    }

    /// <summary>A formal-language row of string length n and `answers` query steps: the string (symbols below
    /// `symbols`), then the query token on every step after it, answers exactly there (IgnoreIndex before).</summary>
    public static int[] StringOf(TaskRow row, int answers, int query, int symbols)
    {
        var n = row.Length - answers;
        Assert.True(n >= 1, $"string length {n}");
        for (var t = 0; t < row.Length; t++)
        {
            if (t < n)
            {
                Assert.InRange(row.Input[t], 0, symbols - 1);
                Assert.Equal(TaskBatch.IgnoreIndex, row.Target[t]);
            }
            else
            {
                Assert.Equal(query, row.Input[t]);
                Assert.NotEqual(TaskBatch.IgnoreIndex, row.Target[t]);
            }
        }
        return row.Input[..n].Select(x => (int)x).ToArray();
    }

    /// <summary>The string lengths of `batches` one-row training batches drawn with the trainer's seeds.</summary>
    public static long[] TrainLengthCounts(ISequenceTask task, int batches, int answersPerLength, Func<int, int> bin, int bins)
    {
        var counts = new long[bins];
        for (var step = 1; step <= batches; step++)
        {
            using var b = task.Sample(1, Seeds.TrainBatch(3, step), TaskSplit.Train);
            var n = (int)b.Inputs.shape[1] - answersPerLength;
            counts[bin(n)]++;
        }
        return counts;
    }

    /// <summary>Pearson's χ² = Σ (observed − expected)² / expected against the uniform distribution.</summary>
    public static double ChiSquareUniform(long[] counts)
    {
        var expected = (double)counts.Sum() / counts.Length;
        return counts.Sum(c => (c - expected) * (c - expected) / expected);
    }

    /// <summary>Upper 0.1 % points of χ² by degrees of freedom (NIST/SEMATECH e-Handbook of Statistical Methods,
    /// §1.3.6.7.4, "Critical values of the chi-square distribution", column 0.999). The draws are fixed by their
    /// seeds, so a test either always passes or always fails; 0.1 % keeps a correct generator from failing by chance.</summary>
    public static double ChiSquareCritical(int degreesOfFreedom) => degreesOfFreedom switch
    {
        1 => 10.828, 2 => 13.816, 3 => 16.266, 4 => 18.467, 5 => 20.515, 6 => 22.458, 7 => 24.322, 8 => 26.124,
        9 => 27.877, 10 => 29.588, 11 => 31.264, 15 => 37.697,
        _ => throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom)),
    };

    public static void AssertUniform(long[] counts, string what)
    {
        var chi2 = ChiSquareUniform(counts);
        var critical = ChiSquareCritical(counts.Length - 1);
        Assert.True(chi2 < critical, $"{what}: χ² = {chi2:F2} ≥ {critical} (df {counts.Length - 1}); counts {string.Join(" ", counts)}");
        Assert.All(counts, c => Assert.True(c > 0, $"{what}: an empty bin; counts {string.Join(" ", counts)}"));
    }

    /// <summary>|count − n/2| ≤ 5σ with σ = √(n/4), the binomial(n, ½) standard deviation: a fair generator lands
    /// outside with probability 6e-7.</summary>
    public static void AssertHalf(long count, long n, string what)
    {
        var sigma = Math.Sqrt(n / 4.0);
        Assert.True(Math.Abs(count - n / 2.0) <= 5 * sigma, $"{what}: {count} of {n}, expected {n / 2.0} ± {5 * sigma:F0}");
    }

    public static bool Same(TaskBatch a, TaskBatch b) =>
        a.Inputs.shape.SequenceEqual(b.Inputs.shape) && a.Inputs.equal(b.Inputs).all().item<bool>() && a.Targets.equal(b.Targets).all().item<bool>()
        && (a.Relevance is null ? b.Relevance is null : b.Relevance is not null && a.Relevance.equal(b.Relevance).all().item<bool>());
}
